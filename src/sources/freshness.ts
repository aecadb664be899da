/**
 * The freshness policy: the one place that decides how fresh data is. It owns the TTL of every
 * dashboard and of every upstream resource, the thresholds, and the one rule that turns stored
 * facts (when the upstream answered, whether the last attempt failed) into a state. The cache,
 * the resolvers, subscriptions, `cacheStats` and monitoring all ask it; none decides on its own.
 *
 * The rule (DESIGN.md, `type Freshness`), for a value judged against a TTL:
 * - ERROR: nothing usable;
 * - VERY_STALE: older than 5 x the TTL;
 * - STALE: older than the TTL, or its last refresh failed, or a webhook said it changed;
 * - WARNING: otherwise fresh, but validation warnings are attached;
 * - FRESH: otherwise.
 * A value made of several parts (a row of six stats windows, a dashboard of 26 workspaces) is as
 * old as its oldest part and as bad as its worst one.
 */
import type { CacheStatus } from '../monitoring/events';
import type { DataOrigin, EntryMeta } from './cache/types';
import type { ResourceKind } from './resources';

/** The four dashboards. */
export type DashboardKind = 'KPI' | 'VOLUME' | 'REVENUE' | 'INFRASTRUCTURE';
export const DASHBOARDS: readonly DashboardKind[] = ['KPI', 'VOLUME', 'REVENUE', 'INFRASTRUCTURE'];

/** The upstream resources each dashboard is built from (src/resolvers/plans.ts agrees; a test checks). */
export const DASHBOARD_RESOURCES: Readonly<Record<DashboardKind, readonly ResourceKind[]>> = {
  KPI: ['stats'],
  VOLUME: ['stats', 'sending-schedules'],
  REVENUE: ['stats', 'sender-emails'],
  INFRASTRUCTURE: ['sender-emails'],
};

export type FreshnessState = 'FRESH' | 'STALE' | 'VERY_STALE' | 'WARNING' | 'ERROR';

export interface Freshness {
  state: FreshnessState;
  origin: DataOrigin;
  /** When the upstream answered, for the oldest part (epoch ms). */
  fetchedAt: number | null;
  ageSeconds: number | null;
  refreshing: boolean;
  nextRefreshAt: number | null;
  /** What failed and since when, or which warnings; bounded in length. */
  message: string | null;
}

/** Older than this many TTLs is VERY_STALE (KPI: 2 min TTL, so 10 min, the seed's thresholds). */
export const VERY_STALE_TTLS = 5;

/** One part of a value, and the TTL it is judged against (its dashboard's). */
export interface FreshnessPart {
  meta: EntryMeta;
  ttlMs: number;
}

/** What the rule needs to know about one stored value. */
export interface FreshnessFacts {
  fetchedAt: number | null;
  /** The last attempt to refresh it failed (a stale value may still be served). */
  failed: boolean;
  /** A webhook said the upstream data changed since. */
  invalidated: boolean;
}

/** The state of one value judged against `ttlMs` (WARNING is added where warnings are known). */
export function stateOf(facts: FreshnessFacts, now: number, ttlMs: number): Exclude<FreshnessState, 'WARNING'> {
  if (facts.fetchedAt === null) return 'ERROR';
  const ageMs = now - facts.fetchedAt;
  if (ageMs > VERY_STALE_TTLS * ttlMs) return 'VERY_STALE';
  if (ageMs >= ttlMs || facts.failed || facts.invalidated) return 'STALE';
  return 'FRESH';
}

/** The status a cache entry is recorded with (data_cache_metadata, `cacheStats`): the same rule. */
export function cacheStatusOf(facts: FreshnessFacts, now: number, ttlMs: number, updating: boolean): CacheStatus {
  if (updating) return 'updating';
  if (facts.failed) return 'error';
  return stateOf(facts, now, ttlMs) === 'FRESH' ? 'fresh' : 'stale';
}

/**
 * When a value fetched at `fetchedAt` next changes state by ageing alone (it turns STALE, then
 * VERY_STALE); null when it never will again. Subscribers re-judge what they show at that moment.
 */
export function nextStateChangeAt(fetchedAt: number | null, ttlMs: number, now: number): number | null {
  if (fetchedAt === null) return null;
  for (const at of [fetchedAt + ttlMs, fetchedAt + VERY_STALE_TTLS * ttlMs + 1]) if (at > now) return at;
  return null;
}

/**
 * When a value was fetched, as it is recorded: the upstream's answer time floored to the whole
 * second of the clock. Every `fetchedAt` and every `ageSeconds` then ticks on the clock's whole
 * second, all together: an answer made of values fetched at many instants (26 rows) stays the same
 * through one second of the clock, instead of changing at each value's own sub-second phase. Each
 * `ageSeconds` is exact for the `fetchedAt` it is shown with.
 */
export function fetchStamp(answeredAt: number): number {
  return Math.floor(answeredAt / 1000) * 1000;
}

/**
 * Until when what the rule derived at `now` stays as it is by time alone. An `ageSeconds` ticks a
 * whole number of seconds after its value's oldest part was fetched (on that `fetchedAt`'s own
 * phase, not on the clock's whole second): `shownAges` are the `fetchedAt` of every freshness
 * shown, and the oldest of `parts` stands for a summary of them all (`extensions.freshness`). A
 * part's state changes as `nextStateChangeAt` says. Anything judged at `now` and shown at an
 * instant in [now, result) is what judging it then would show; the response cache
 * (src/server/response-cache.ts) serves an answer no longer than that.
 */
export function unchangedUntil(parts: readonly FreshnessPart[], shownAges: readonly number[], now: number): number {
  const nextTick = (fetchedAt: number) => fetchedAt + 1000 * (Math.floor(Math.max(0, now - fetchedAt) / 1000) + 1);
  let until = Infinity;
  let oldest = Infinity;
  for (const { meta, ttlMs } of parts) {
    const { fetchedAt } = factsOf(meta);
    if (fetchedAt === null) continue;
    oldest = Math.min(oldest, fetchedAt);
    until = Math.min(until, nextStateChangeAt(fetchedAt, ttlMs, now) ?? Infinity);
  }
  if (oldest !== Infinity) until = Math.min(until, nextTick(oldest));
  for (const fetchedAt of shownAges) until = Math.min(until, nextTick(fetchedAt));
  return until;
}

export const factsOf = (meta: EntryMeta): FreshnessFacts => ({
  fetchedAt: meta.origin === 'NONE' ? null : meta.fetchedAt,
  failed: meta.error !== null,
  invalidated: meta.invalidatedAt !== null,
});

const STATE_RANK: Record<FreshnessState, number> = { FRESH: 0, WARNING: 1, STALE: 2, VERY_STALE: 3, ERROR: 4 };
const ORIGIN_RANK: Record<DataOrigin, number> = { NONE: 0, UPSTREAM: 1, CACHE: 2, STALE_CACHE: 3 };
const worse = <T extends string>(rank: Record<T, number>) => (a: T, b: T) => (rank[b] > rank[a] ? b : a);

/** A warning as the message needs it (the GraphQL `ValidationWarning`). */
export interface WarningFact {
  workspaceId: number | null;
  rule: string;
}

/**
 * Combines the parts of one value. Parts without a value (origin NONE) make the whole ERROR only
 * when no part has one; otherwise the value is incomplete, so it is at least STALE, and the
 * message says what is missing.
 */
export function freshnessOf(parts: readonly FreshnessPart[], now: number, options: { warnings?: readonly WarningFact[] } = {}): Freshness {
  const warnings = options.warnings ?? [];
  let state: FreshnessState | null = null;
  let origin: DataOrigin = 'NONE';
  let fetchedAt: number | null = null;
  let nextRefreshAt: number | null = null;
  let refreshing = false;
  for (const { meta, ttlMs } of parts) {
    refreshing ||= meta.refreshing;
    if (meta.nextRefreshAt !== null && (nextRefreshAt === null || meta.nextRefreshAt < nextRefreshAt)) nextRefreshAt = meta.nextRefreshAt;
    const facts = factsOf(meta);
    if (facts.fetchedAt === null) continue;
    state = state === null ? stateOf(facts, now, ttlMs) : worse(STATE_RANK)(state, stateOf(facts, now, ttlMs));
    origin = origin === 'NONE' ? meta.origin : worse(ORIGIN_RANK)(origin, meta.origin);
    if (fetchedAt === null || facts.fetchedAt < fetchedAt) fetchedAt = facts.fetchedAt;
  }
  const missing = parts.some((p) => p.meta.origin === 'NONE');
  if (state === null) state = 'ERROR';
  else if (missing) state = worse(STATE_RANK)(state, 'STALE');
  else if (state === 'FRESH' && warnings.length > 0) state = 'WARNING';
  return {
    state,
    origin,
    fetchedAt,
    ageSeconds: fetchedAt === null ? null : Math.floor(Math.max(0, now - fetchedAt) / 1000),
    refreshing,
    nextRefreshAt,
    message: messageOf(parts, state === 'WARNING' ? warnings : []),
  };
}

/** Longest message a value carries: a dashboard of 26 failing workspaces still reads in one line. */
export const MAX_MESSAGE_LENGTH = 400;
const LISTED_WORKSPACES = 5;

const REASONS: Record<string, string> = {
  UPSTREAM_TIMEOUT: 'upstream timed out',
  UPSTREAM_NETWORK: 'upstream unreachable',
  UPSTREAM_5XX: 'upstream server error',
  UPSTREAM_RATE_LIMITED: 'upstream rate limit reached',
  UPSTREAM_INVALID_PAYLOAD: 'upstream sent data that failed validation',
  UPSTREAM_UNAUTHORIZED: 'the Email Bison key was refused',
  UPSTREAM_FORBIDDEN: 'the Email Bison key lacks the rights',
  UPSTREAM_NOT_FOUND: 'not found upstream',
  UPSTREAM_4XX: 'upstream refused the request',
  CIRCUIT_OPEN: 'upstream circuit open after repeated failures',
  NO_API_KEY: 'no Email Bison key configured',
  REGISTRY_UNAVAILABLE: 'the gateway\'s database is unreachable',
  STALE_TOO_OLD: 'last good data too old to serve',
  TIMEOUT: 'the request deadline passed first',
};

/** "upstream timed out": the failure in words, the same for every workspace it happens to. */
export function reasonOf(error: { code: string; message: string; openedBy?: string | null } | null): string {
  if (!error) return 'refresh failed';
  const reason = REASONS[error.code] ?? error.message;
  return error.code === 'CIRCUIT_OPEN' && error.openedBy && REASONS[error.openedBy] ? `${reason} (${REASONS[error.openedBy]})` : reason;
}

const stamp = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

interface Group { served: boolean; reason: string; since: number | null; workspaces: Set<number | null> }

/** Said when a part was served from the replica's own copy because Redis did not answer. */
export const LOCAL_COPY_NOTE = "served from this replica's memory: the shared cache (Redis) is unreachable";

/** What failed and since when, grouped by cause; then whether Redis was bypassed; then the warnings. Null when all is well. */
function messageOf(parts: readonly FreshnessPart[], warnings: readonly WarningFact[]): string | null {
  const groups = new Map<string, Group>();
  for (const { meta } of parts) {
    if (!meta.error) continue;
    const served = meta.origin !== 'NONE';
    const reason = reasonOf(meta.error);
    const id = `${served}|${reason}`;
    const group = groups.get(id) ?? groups.set(id, { served, reason, since: null, workspaces: new Set() }).get(id)!;
    group.workspaces.add(meta.workspaceId);
    if (meta.failingSince !== null && (group.since === null || meta.failingSince < group.since)) group.since = meta.failingSince;
  }
  const sentences: string[] = [];
  const single = new Set(parts.map((p) => p.meta.workspaceId)).size <= 1;
  for (const g of groups.values()) {
    const since = g.since === null ? '' : ` since ${stamp(g.since)}`;
    const head = g.served ? 'served from stale cache' : 'no data';
    sentences.push(single ? `${head}: ${g.reason}${since}` : `${head} for ${describeWorkspaces(g.workspaces)}: ${g.reason}${since}`);
  }
  if (parts.some((p) => p.meta.localCopy)) sentences.push(LOCAL_COPY_NOTE);
  if (warnings.length > 0) {
    const byRule = new Map<string, number>();
    for (const w of warnings) byRule.set(w.rule, (byRule.get(w.rule) ?? 0) + 1);
    const rules = [...byRule].map(([rule, n]) => (n > 1 ? `${rule} x${n}` : rule));
    sentences.push(`${warnings.length} validation warning${warnings.length > 1 ? 's' : ''}: ${rules.join(', ')}`);
  }
  if (sentences.length === 0) return null;
  const text = sentences.join('; ');
  return text.length <= MAX_MESSAGE_LENGTH ? text : `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}

function describeWorkspaces(ids: Set<number | null>): string {
  const listed = [...ids].map((id) => (id === null ? 'the workspace list' : String(id))).sort((a, b) => Number(a) - Number(b));
  const shown = listed.slice(0, LISTED_WORKSPACES).join(', ');
  const more = listed.length > LISTED_WORKSPACES ? ` and ${listed.length - LISTED_WORKSPACES} more` : '';
  return `${listed.length} workspace${listed.length > 1 ? 's' : ''} (${shown}${more})`;
}

export interface FreshnessPolicyOptions {
  /** Wanted freshness per dashboard, in seconds (CACHE_TTL_*_SECONDS). */
  ttlSeconds: Readonly<Record<DashboardKind, number>>;
  /** The workspace list (discovery). @default 600 */
  workspacesTtlSeconds?: number;
  /** How old a value may be served when the upstream fails (STALE_IF_ERROR_SECONDS). */
  staleIfErrorSeconds: number;
}

export interface FreshnessPolicy {
  /** The TTL a dashboard's values are judged against. */
  dashboardTtlMs(dashboard: DashboardKind): number;
  /**
   * When a cached resource is due for a refresh: the shortest TTL of the dashboards built from it,
   * so no dashboard ever sees a part go stale without a refresh being due.
   */
  resourceTtlMs(kind: ResourceKind): number;
  /** How old a value may be and still be served in place of an upstream failure. */
  staleIfErrorMs: number;
  /** The parts of a dashboard's value, judged against its TTL. */
  partsOf(dashboard: DashboardKind, metas: readonly EntryMeta[]): FreshnessPart[];
}

export function createFreshnessPolicy(options: FreshnessPolicyOptions): FreshnessPolicy {
  const { ttlSeconds, workspacesTtlSeconds = 600, staleIfErrorSeconds } = options;
  for (const dashboard of DASHBOARDS) {
    if (!(ttlSeconds[dashboard] > 0)) throw new RangeError(`createFreshnessPolicy: the ${dashboard} TTL must be a positive number of seconds, got ${ttlSeconds[dashboard]}`);
  }
  const dashboardMs = (d: DashboardKind) => ttlSeconds[d] * 1000;
  const resourceMs = new Map<ResourceKind, number>([['workspaces', workspacesTtlSeconds * 1000]]);
  for (const dashboard of DASHBOARDS) {
    for (const kind of DASHBOARD_RESOURCES[dashboard]) resourceMs.set(kind, Math.min(resourceMs.get(kind) ?? Infinity, dashboardMs(dashboard)));
  }
  return {
    dashboardTtlMs: dashboardMs,
    resourceTtlMs: (kind) => resourceMs.get(kind)!,
    staleIfErrorMs: staleIfErrorSeconds * 1000,
    partsOf: (dashboard, metas) => metas.map((meta) => ({ meta, ttlMs: dashboardMs(dashboard) })),
  };
}
