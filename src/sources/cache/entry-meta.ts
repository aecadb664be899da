/**
 * Pure judgements over a stored entry: is it fresh for this reader, may it still be served, and
 * what the reader is told about it. No I/O here, so every rule is testable with plain numbers.
 */
import type { SourceErrorInfo } from '../errors';
import { reasonOf } from '../freshness';
import type { StoredMeta } from './store';
import type { DataOrigin, EntryMeta } from './types';

/** Expired for a reader with this TTL (or invalidated by a webhook, or cleared); true when there is no value. */
export function isExpired(meta: StoredMeta, now: number, ttlMs: number): boolean {
  return meta.fetchedAt === null || meta.invalidatedAt !== null || isCleared(meta) || now - meta.fetchedAt >= ttlMs;
}

/** `clearCache` asked for a refetch: the value is only a fallback now. */
export function isCleared(meta: StoredMeta): boolean {
  return meta.clearedAt != null;
}

/** Invalidated by a webhook or cleared: the upstream data may have changed since the fetch. */
export function isInvalidated(meta: StoredMeta): boolean {
  return meta.invalidatedAt !== null || isCleared(meta);
}

/** The most recent attempt failed (no success landed since). */
export function failedSinceFetch(meta: StoredMeta): boolean {
  return meta.lastErrorAt !== null && (meta.fetchedAt === null || meta.lastErrorAt >= meta.fetchedAt);
}

/** Too old to be served at all, even in place of an upstream failure. */
export function isTooOld(meta: StoredMeta, now: number, staleIfErrorMs: number): boolean {
  return meta.fetchedAt !== null && now - meta.fetchedAt > staleIfErrorMs;
}

/** "served from stale cache: upstream timed out" */
export function staleMessage(error: SourceErrorInfo | null): string {
  return `served from stale cache: ${reasonOf(error)}`;
}

/** The error a reader gets when the last good value is older than the stale-if-error limit. */
export function tooOldError(cause: SourceErrorInfo, ageMs: number, staleIfErrorMs: number): SourceErrorInfo {
  const minutes = (ms: number) => Math.round(ms / 60_000);
  return {
    workspaceId: cause.workspaceId,
    code: 'STALE_TOO_OLD',
    message: `last good data is ${minutes(ageMs)} min old, over the ${minutes(staleIfErrorMs)} min stale-if-error limit; ${reasonOf(cause)}`,
    retryable: true,
  };
}

export interface MetaFacts {
  key: string;
  workspaceId: number | null;
  origin: DataOrigin;
  refreshing: boolean;
  ttlMs: number;
  errorBackoffMs: number;
  message?: string | null;
  error?: SourceErrorInfo | null;
}

/** What a reader is told about the value it got. */
export function describe(stored: StoredMeta | undefined, facts: MetaFacts): EntryMeta {
  const served = facts.origin !== 'NONE' && stored?.fetchedAt != null;
  return {
    key: facts.key,
    workspaceId: facts.workspaceId,
    fetchedAt: served ? stored!.fetchedAt : null,
    origin: facts.origin,
    refreshing: facts.refreshing,
    nextRefreshAt: stored ? nextRefreshAt(stored, facts) : null,
    message: facts.message ?? null,
    error: facts.error ?? null,
    failingSince: facts.error && stored ? (stored.failingSince ?? stored.lastErrorAt) : null,
    invalidatedAt: served ? (stored!.invalidatedAt ?? stored!.clearedAt ?? null) : null,
    ...(stored?.localCopy ? { localCopy: true as const } : {}),
  };
}

function nextRefreshAt(stored: StoredMeta, facts: MetaFacts): number | null {
  if (facts.refreshing) return null;
  if (failedSinceFetch(stored)) return stored.lastErrorAt! + facts.errorBackoffMs;
  if (stored.fetchedAt === null || isInvalidated(stored)) return null;
  return stored.fetchedAt + facts.ttlMs;
}
