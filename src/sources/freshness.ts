/**
 * How fresh a value built from several cached parts is (the GraphQL `Freshness` type, in plain
 * TypeScript). A dashboard row is as old as its oldest part and as doubtful as its worst one.
 */
import type { DataOrigin, EntryMeta } from './cache/types';

/** The four dashboards. */
export type DashboardKind = 'KPI' | 'VOLUME' | 'REVENUE' | 'INFRASTRUCTURE';

export type FreshnessState = 'FRESH' | 'STALE' | 'VERY_STALE' | 'WARNING' | 'ERROR';

export interface Freshness {
  state: FreshnessState;
  origin: DataOrigin;
  /** Upstream fetch time of the oldest part (epoch ms). */
  fetchedAt: number | null;
  ageSeconds: number | null;
  refreshing: boolean;
  nextRefreshAt: number | null;
  message: string | null;
}

/** Younger than this is FRESH. */
export const FRESH_FOR_MS = 2 * 60_000;
/** Older than this is VERY_STALE. */
export const VERY_STALE_AFTER_MS = 10 * 60_000;

const ORIGIN_RANK: Record<DataOrigin, number> = { NONE: 0, UPSTREAM: 1, CACHE: 2, STALE_CACHE: 3 };

/**
 * Combines the parts' metadata. Parts without a value (origin NONE) make the whole ERROR only when
 * no part has a value; otherwise they only add their message (the caller reports them as errors).
 */
export function freshnessOf(metas: EntryMeta[], now: number, options: { warnings?: number } = {}): Freshness {
  const served = metas.filter((m) => m.origin !== 'NONE' && m.fetchedAt !== null);
  const messages = [...new Set(metas.map((m) => m.message).filter((m): m is string => !!m))];
  const message = messages.length ? messages.join('; ') : null;
  const refreshing = metas.some((m) => m.refreshing);
  const upcoming = metas.map((m) => m.nextRefreshAt).filter((t): t is number => t !== null);
  const nextRefreshAt = upcoming.length ? Math.min(...upcoming) : null;
  if (served.length === 0) {
    return { state: 'ERROR', origin: 'NONE', fetchedAt: null, ageSeconds: null, refreshing, nextRefreshAt, message };
  }
  const fetchedAt = Math.min(...served.map((m) => m.fetchedAt!));
  const ageMs = Math.max(0, now - fetchedAt);
  const origin = served.reduce<DataOrigin>((worst, m) => (ORIGIN_RANK[m.origin] > ORIGIN_RANK[worst] ? m.origin : worst), 'UPSTREAM');
  return {
    state: stateFor(ageMs, options.warnings ?? 0),
    origin,
    fetchedAt,
    ageSeconds: Math.floor(ageMs / 1000),
    refreshing,
    nextRefreshAt,
    message,
  };
}

function stateFor(ageMs: number, warnings: number): FreshnessState {
  if (ageMs > VERY_STALE_AFTER_MS) return 'VERY_STALE';
  if (ageMs >= FRESH_FOR_MS) return 'STALE';
  return warnings > 0 ? 'WARNING' : 'FRESH';
}
