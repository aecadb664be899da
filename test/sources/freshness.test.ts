/**
 * The freshness policy: one rule for every surface. States by the TTL of the dashboard judging a
 * value, never fixed thresholds; a failed last attempt is never FRESH; an incomplete value is not
 * FRESH either; messages group by cause, name when it began, stay bounded and name warnings.
 */
import { describe, expect, it } from 'vitest';
import type { EntryMeta } from '../../src/sources/cache/types';
import {
  MAX_MESSAGE_LENGTH, cacheStatusOf, createFreshnessPolicy, freshnessOf, nextStateChangeAt, reasonOf, stateOf, type FreshnessPart,
} from '../../src/sources/freshness';

const NOW = Date.parse('2026-03-10T09:00:00Z');
const KPI_TTL = 120_000;
const INFRA_TTL = 600_000;
const meta = (over: Partial<EntryMeta> = {}): EntryMeta => ({
  key: 'stats:1:2026-03-01:2026-03-10', workspaceId: 1, fetchedAt: NOW, origin: 'CACHE', refreshing: false,
  nextRefreshAt: null, message: null, error: null, failingSince: null, invalidatedAt: null, ...over,
});
const part = (over: Partial<EntryMeta> = {}, ttlMs = KPI_TTL): FreshnessPart => ({ meta: meta(over), ttlMs });
const aged = (seconds: number, ttlMs = KPI_TTL, over: Partial<EntryMeta> = {}) => part({ fetchedAt: NOW - seconds * 1000, ...over }, ttlMs);
const timeout = (workspaceId: number) => ({ workspaceId, code: 'UPSTREAM_TIMEOUT', message: `Email Bison (workspace ${workspaceId}) did not answer`, retryable: true });

describe('the freshness rule', () => {
  it.each([
    [0, 'FRESH'], [119, 'FRESH'], [120, 'STALE'], [600, 'STALE'], [601, 'VERY_STALE'],
  ])('KPI (TTL 2 min): a value %i s old is %s: the seed\'s 2 and 10 min thresholds', (seconds, state) => {
    expect(freshnessOf([aged(seconds)], NOW)).toMatchObject({ state, ageSeconds: seconds });
  });

  it.each([
    [150, 'FRESH'], [599, 'FRESH'], [600, 'STALE'], [3000, 'STALE'], [3001, 'VERY_STALE'],
  ])('infrastructure (TTL 10 min): a value %i s old is %s: thresholds follow the dashboard\'s TTL', (seconds, state) => {
    expect(freshnessOf([aged(seconds, INFRA_TTL)], NOW).state).toBe(state);
  });

  it('is never FRESH when the last attempt failed, even within the TTL, and says what failed and since when', () => {
    const failing = part({ origin: 'STALE_CACHE', fetchedAt: NOW - 30_000, error: timeout(1), failingSince: Date.parse('2026-03-10T08:58:00Z') });
    expect(freshnessOf([failing], NOW)).toMatchObject({
      state: 'STALE', origin: 'STALE_CACHE', message: 'served from stale cache: upstream timed out since 2026-03-10 08:58 UTC',
    });
    expect(stateOf({ fetchedAt: NOW, failed: true, invalidated: false }, NOW, KPI_TTL)).toBe('STALE');
  });

  it('a value a webhook marked changed is STALE until refreshed', () => {
    expect(freshnessOf([part({ invalidatedAt: NOW - 1000 })], NOW).state).toBe('STALE');
  });

  it('takes the oldest part for fetchedAt and age and the worst for state', () => {
    const f = freshnessOf([aged(10), aged(300), aged(30)], NOW);
    expect(f).toMatchObject({ state: 'STALE', fetchedAt: NOW - 300_000, ageSeconds: 300 });
  });

  it('is WARNING when warnings exist and the data is otherwise fresh, naming the rules; age wins over warnings', () => {
    const warnings = [{ workspaceId: 1, rule: 'NO_KPI_TARGET' }, { workspaceId: 2, rule: 'NO_KPI_TARGET' }, { workspaceId: 2, rule: 'LOW_MARGIN' }];
    expect(freshnessOf([aged(5)], NOW, { warnings })).toMatchObject({ state: 'WARNING', message: '3 validation warnings: NO_KPI_TARGET x2, LOW_MARGIN' });
    expect(freshnessOf([aged(5)], NOW, { warnings: [] })).toMatchObject({ state: 'FRESH', message: null });
    expect(freshnessOf([aged(700)], NOW, { warnings }).state).toBe('VERY_STALE');
  });

  it('is ERROR with origin NONE when no part has a value', () => {
    const failed = part({ fetchedAt: null, origin: 'NONE', error: timeout(1) });
    expect(freshnessOf([failed, failed], NOW)).toEqual({
      state: 'ERROR', origin: 'NONE', fetchedAt: null, ageSeconds: null, refreshing: false, nextRefreshAt: null, message: 'no data: upstream timed out',
    });
    expect(freshnessOf([], NOW).state).toBe('ERROR');
  });

  it('takes the worst origin: STALE_CACHE over CACHE over UPSTREAM', () => {
    expect(freshnessOf([part({ origin: 'UPSTREAM' })], NOW).origin).toBe('UPSTREAM');
    expect(freshnessOf([part({ origin: 'UPSTREAM' }), part({ origin: 'CACHE' })], NOW).origin).toBe('CACHE');
    expect(freshnessOf([part({ origin: 'CACHE' }), part({ origin: 'STALE_CACHE', error: timeout(1) }), part({ origin: 'UPSTREAM' })], NOW).origin).toBe('STALE_CACHE');
  });

  it('an incomplete value (a part without data) is at least STALE and says what is missing', () => {
    const f = freshnessOf([aged(20), part({ workspaceId: 2, fetchedAt: null, origin: 'NONE', error: { workspaceId: 2, code: 'NO_API_KEY', message: 'No Email Bison API key is configured for workspace 2', retryable: false } })], NOW);
    expect(f).toMatchObject({ state: 'STALE', origin: 'CACHE', ageSeconds: 20, message: 'no data for 1 workspace (2): no Email Bison key configured' });
  });

  it('summarises a dashboard of 26 failing workspaces in one bounded line, grouped by cause', () => {
    const parts = Array.from({ length: 26 }, (_, i) => part({
      workspaceId: i + 3, origin: 'STALE_CACHE', fetchedAt: NOW - 60_000, error: timeout(i + 3), failingSince: Date.parse('2026-03-10T08:55:00Z') + i * 1000,
    }));
    const f = freshnessOf(parts, NOW);
    expect(f.message).toBe('served from stale cache for 26 workspaces (3, 4, 5, 6, 7 and 21 more): upstream timed out since 2026-03-10 08:55 UTC');
    expect(f.message!.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
  });

  it('is refreshing when any part is, with the earliest next refresh', () => {
    const f = freshnessOf([part({ refreshing: true, nextRefreshAt: NOW + 90_000 }), part({ nextRefreshAt: NOW + 30_000 })], NOW);
    expect(f).toMatchObject({ refreshing: true, nextRefreshAt: NOW + 30_000 });
  });

  it('records a cache entry with the same rule', () => {
    const facts = (over: Partial<{ fetchedAt: number | null; failed: boolean; invalidated: boolean }>) => ({ fetchedAt: NOW, failed: false, invalidated: false, ...over });
    expect(cacheStatusOf(facts({}), NOW, KPI_TTL, false)).toBe('fresh');
    expect(cacheStatusOf(facts({ fetchedAt: NOW - KPI_TTL }), NOW, KPI_TTL, false)).toBe('stale');
    expect(cacheStatusOf(facts({ failed: true }), NOW, KPI_TTL, false)).toBe('error');
    expect(cacheStatusOf(facts({ invalidated: true }), NOW, KPI_TTL, false)).toBe('stale');
    expect(cacheStatusOf(facts({}), NOW, KPI_TTL, true)).toBe('updating');
  });

  it('knows when ageing alone next changes a state', () => {
    expect(nextStateChangeAt(NOW, KPI_TTL, NOW)).toBe(NOW + KPI_TTL);
    expect(nextStateChangeAt(NOW, KPI_TTL, NOW + KPI_TTL)).toBe(NOW + 5 * KPI_TTL + 1);
    expect(nextStateChangeAt(NOW, KPI_TTL, NOW + 5 * KPI_TTL + 1)).toBeNull();
    expect(nextStateChangeAt(null, KPI_TTL, NOW)).toBeNull();
  });
});

describe('the freshness policy', () => {
  const policy = createFreshnessPolicy({ ttlSeconds: { KPI: 120, VOLUME: 90, REVENUE: 300, INFRASTRUCTURE: 600 }, staleIfErrorSeconds: 3600 });

  it('keeps each dashboard\'s TTL and refreshes each resource by the shortest TTL of the dashboards built from it', () => {
    expect(policy.dashboardTtlMs('INFRASTRUCTURE')).toBe(600_000);
    expect(policy.resourceTtlMs('stats')).toBe(90_000); // KPI, volume, revenue
    expect(policy.resourceTtlMs('sending-schedules')).toBe(90_000); // volume
    expect(policy.resourceTtlMs('sender-emails')).toBe(300_000); // revenue, infrastructure
    expect(policy.resourceTtlMs('workspaces')).toBe(600_000);
    expect(policy.staleIfErrorMs).toBe(3_600_000);
  });

  it('judges a dashboard\'s parts by its own TTL', () => {
    expect(policy.partsOf('KPI', [meta()])).toEqual([{ meta: meta(), ttlMs: 120_000 }]);
  });

  it('refuses a TTL that is not positive, naming the dashboard', () => {
    expect(() => createFreshnessPolicy({ ttlSeconds: { KPI: 0, VOLUME: 1, REVENUE: 1, INFRASTRUCTURE: 1 }, staleIfErrorSeconds: 0 }))
      .toThrow('createFreshnessPolicy: the KPI TTL must be a positive number of seconds, got 0');
  });
});

describe('reasons', () => {
  it('an open circuit names the failure that opened it', () => {
    expect(reasonOf({ code: 'CIRCUIT_OPEN', message: 'x', openedBy: 'UPSTREAM_5XX' })).toBe('upstream circuit open after repeated failures (upstream server error)');
    expect(reasonOf({ code: 'CIRCUIT_OPEN', message: 'x' })).toBe('upstream circuit open after repeated failures');
  });
});
