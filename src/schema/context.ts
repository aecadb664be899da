/**
 * What a GraphQL field may use. The server builds it per request; src/schema only reads it.
 * `data` is the per-request face of the sources (DataLoaders in front of the shared cache);
 * `services` are the long-lived parts (registry, tokens, cache administration, health).
 */
import type { Config } from '../config';
import type { DashboardKind } from '../sources/freshness';
import type { Clock } from '../clock';
import type { Principal } from '../access';
import type { Calendar } from '../resolvers/calendar';
import type { ClientRecord } from '../sources/registry/types';
import type { Registry } from '../sources/registry/registry';
import type { TokenStore } from '../sources/registry/tokens';
import type { ResourceReader } from '../sources/plan';
import type { CacheEntryStats, CacheFilter, CacheRead, CacheChangeListener, EntryMeta } from '../sources/cache/types';
import type { Resource, ValueOf } from '../sources/resources';
import type { SourceObserver } from '../monitoring/events';
import type { HealthReport } from '../monitoring/health';
import type { BreakerSnapshot } from '../sources/upstream/breaker';
import type { GatewayTopics } from '../server/events';

/** The cache operations the schema administers (refresh, clear, stats). */
export interface CacheAdmin {
  refresh<R extends Resource>(resource: R, options: { ttlMs: number }): Promise<CacheRead<ValueOf<R>>>;
  clear(filter?: CacheFilter): Promise<number>;
  entries(): Promise<CacheEntryStats[]>;
  onChange(listener: CacheChangeListener): () => void;
  /** Keep a resource fresh (refresh-ahead) until `unwatch`: a subscriber counts as a reader. */
  watch(resource: Resource, ttlMs: number): void;
  unwatch(resource: Resource): void;
}

export interface GatewayServices {
  config: Config;
  clock: Clock;
  registry: Registry;
  tokens: TokenStore;
  cache: CacheAdmin;
  observer: SourceObserver;
  health(): Promise<HealthReport>;
  breakers(): BreakerSnapshot[];
  /** Subscription topics (in-process or Redis). */
  events: { subscribe<T extends keyof GatewayTopics>(topic: T): AsyncIterableIterator<GatewayTopics[T][0]> };
}

export interface RequestData extends ResourceReader {
  /** Active clients this principal may see: all for ADMIN, its own workspace for CLIENT. */
  clients(): Promise<ClientRecord[]>;
  /** Metadata of every read so far in this request (the response's `extensions.freshness`). */
  readonly reads: EntryMeta[];
}

export interface GatewayContext {
  principal: Principal;
  /** Request time (epoch ms) from the gateway's clock. */
  now: number;
  /** "Today", "this month" and the windows, in BUSINESS_TIMEZONE, at request time. */
  calendar: Calendar;
  ttlMs(kind: DashboardKind): number;
  data: RequestData;
  services: GatewayServices;
  /** A new context for the same principal at the current time (a subscription recomputing later). */
  renew(): GatewayContext;
}
