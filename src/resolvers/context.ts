/**
 * What a resolver may use. The server builds a `GatewayContext` per request (or per subscription
 * event); resolvers read it and nothing else. `data` is the request's face of the sources
 * (DataLoaders in front of the shared cache, and the clients this principal may see); `services`
 * are the long-lived parts (registry, tokens, cache administration, health, events).
 */
import type { Principal } from '../access';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { HealthReport } from '../monitoring/health';
import type { SourceObserver } from '../monitoring/events';
import type { CacheRead, EntryMeta } from '../sources/cache/types';
import type { SourceCache } from '../sources/cache/source-cache';
import type { DashboardKind, Freshness, FreshnessPart, FreshnessPolicy, WarningFact } from '../sources/freshness';
import type { Registry } from '../sources/registry/registry';
import type { ClientRecord } from '../sources/registry/types';
import type { TokenStore } from '../sources/registry/tokens';
import type { Resource, ResourceKind, ValueOf } from '../sources/resources';
import type { BreakerSnapshot } from '../sources/upstream/breaker';
import type { Calendar } from './arithmetic/calendar';
import type { MailboxMemo } from './mailbox-memo';

/** A cache entry changed (here or on another replica): what `freshnessChanged` and live dashboards hear. */
export interface FreshnessPayload {
  key: string;
  kind: ResourceKind;
  workspaceId: number | null;
  meta: EntryMeta;
}

export interface HealthPayload {
  score: number;
  status: string;
}

/** Subscription topics (in process, or through Redis across replicas). */
export type GatewayTopics = {
  freshness: [FreshnessPayload];
  health: [HealthPayload];
  /** Every replica drops its cached answers: `clearCache` ran, or the registry was written (then its client list too). */
  answers: [AnswersPayload];
};

export interface AnswersPayload {
  changed: 'cache' | 'registry';
}

/** The cache operations resolvers administer (refresh, clear, stats, watching for subscribers). */
export type CacheAdmin = Pick<SourceCache, 'refresh' | 'clear' | 'entries' | 'watch' | 'unwatch'>;

export interface GatewayServices {
  config: Config;
  clock: Clock;
  freshness: FreshnessPolicy;
  registry: Registry;
  tokens: TokenStore;
  cache: CacheAdmin;
  observer: SourceObserver;
  /** Classified mailboxes and their aggregates, memoized per data version (one per gateway). */
  mailboxes: MailboxMemo;
  /** The health score: of everything, or of one workspace. */
  health(workspaceId: number | null): Promise<HealthReport>;
  breakers(): BreakerSnapshot[];
  /** How often a subscription checks whether what it shows aged into a new state (real time). */
  tickMs: number;
  events: { subscribe<T extends keyof GatewayTopics>(topic: T): AsyncIterableIterator<GatewayTopics[T][0]> };
}

export interface RequestData {
  /**
   * Reads a resource for a dashboard (once per request, however many fields ask). The read is
   * remembered, judged by that dashboard's TTL, for the response's `extensions.freshness`.
   */
  read<R extends Resource>(resource: R, dashboard?: DashboardKind): Promise<CacheRead<ValueOf<R>>>;
  /** Active clients this principal may see: all for ADMIN, its own workspace for CLIENT. */
  clients(): Promise<ClientRecord[]>;
  /** Every read so far in this request, with the TTL it is judged by. */
  readonly reads: readonly FreshnessPart[];
  /** The freshness of a value made of `parts`, judged at the request's time (`freshnessOf`); remembered in `shownAges`. */
  judge(parts: readonly FreshnessPart[], options?: { warnings?: readonly WarningFact[] }): Freshness;
  /** The `fetchedAt` of every freshness judged so far: each `ageSeconds` the answer shows ticks a whole number of seconds after one of them. */
  readonly shownAges: readonly number[];
  /**
   * The answer does not follow from the entries read alone: a read had nothing to serve, or the
   * request's deadline cut reads short. Such an answer is never kept by the response cache.
   */
  readonly partial: boolean;
  markPartial(): void;
}

export interface GatewayContext {
  principal: Principal;
  /** Request time (epoch ms) from the gateway's clock. */
  now: number;
  /** "Today", "this month" and the windows, in BUSINESS_TIMEZONE, at request time. */
  calendar: Calendar;
  /**
   * When the request's deadline passes, on the monotonic clock (`performance.now()`): a dashboard
   * then answers with what it has (REQUEST_DEADLINE_MS after the request began).
   */
  deadline: number;
  data: RequestData;
  services: GatewayServices;
  /** A new context for the same principal at the current time (a subscription recomputing later). */
  renew(): GatewayContext;
}
