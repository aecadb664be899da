import { describe, expect, it } from 'vitest';
import type { EntryMeta } from '../../src/sources/cache/types';
import { freshnessOf } from '../../src/sources/freshness';

const NOW = Date.parse('2026-03-10T09:00:00Z');
const part = (over: Partial<EntryMeta> = {}): EntryMeta => ({
  key: 'stats:1:2026-03-01:2026-03-10', workspaceId: 1, fetchedAt: NOW, origin: 'CACHE', refreshing: false,
  nextRefreshAt: null, message: null, error: null, ...over,
});
const agedSeconds = (s: number) => part({ fetchedAt: NOW - s * 1000 });

describe('freshnessOf', () => {
  it.each([
    [0, 'FRESH'], [119, 'FRESH'], [120, 'STALE'], [600, 'STALE'], [601, 'VERY_STALE'],
  ])('a value %i s old is %s', (seconds, state) => {
    expect(freshnessOf([agedSeconds(seconds)], NOW)).toMatchObject({ state, ageSeconds: seconds });
  });

  it('takes the oldest part for fetchedAt, age and state', () => {
    const f = freshnessOf([agedSeconds(10), agedSeconds(300), agedSeconds(30)], NOW);
    expect(f).toMatchObject({ state: 'STALE', fetchedAt: NOW - 300_000, ageSeconds: 300 });
  });

  it('is WARNING when warnings exist and the data is otherwise fresh, but age wins over warnings', () => {
    expect(freshnessOf([agedSeconds(5)], NOW, { warnings: 2 }).state).toBe('WARNING');
    expect(freshnessOf([agedSeconds(5)], NOW, { warnings: 0 }).state).toBe('FRESH');
    expect(freshnessOf([agedSeconds(700)], NOW, { warnings: 2 }).state).toBe('VERY_STALE');
  });

  it('is ERROR with origin NONE when no part has a value', () => {
    const failed = part({ fetchedAt: null, origin: 'NONE', message: 'upstream timed out' });
    expect(freshnessOf([failed, failed], NOW)).toEqual({
      state: 'ERROR', origin: 'NONE', fetchedAt: null, ageSeconds: null, refreshing: false, nextRefreshAt: null, message: 'upstream timed out',
    });
    expect(freshnessOf([], NOW).state).toBe('ERROR');
  });

  it('takes the worst origin: STALE_CACHE over CACHE over UPSTREAM', () => {
    expect(freshnessOf([part({ origin: 'UPSTREAM' })], NOW).origin).toBe('UPSTREAM');
    expect(freshnessOf([part({ origin: 'UPSTREAM' }), part({ origin: 'CACHE' })], NOW).origin).toBe('CACHE');
    expect(freshnessOf([part({ origin: 'CACHE' }), part({ origin: 'STALE_CACHE' }), part({ origin: 'UPSTREAM' })], NOW).origin).toBe('STALE_CACHE');
  });

  it('ignores parts without a value for age and origin but keeps their messages', () => {
    const f = freshnessOf([agedSeconds(20), part({ fetchedAt: null, origin: 'NONE', message: 'no API key' })], NOW);
    expect(f).toMatchObject({ state: 'FRESH', origin: 'CACHE', ageSeconds: 20, message: 'no API key' });
  });

  it('is refreshing when any part is, with the earliest next refresh and deduplicated messages', () => {
    const stale = 'served from stale cache: upstream timed out';
    const f = freshnessOf([
      part({ refreshing: true, nextRefreshAt: NOW + 90_000, message: stale, origin: 'STALE_CACHE' }),
      part({ nextRefreshAt: NOW + 30_000, message: stale, origin: 'STALE_CACHE' }),
      part({ nextRefreshAt: NOW + 60_000, message: 'served from stale cache: upstream server error' }),
    ], NOW);
    expect(f).toMatchObject({ refreshing: true, nextRefreshAt: NOW + 30_000, message: `${stale}; served from stale cache: upstream server error` });
  });
});
