/**
 * How a stored entry changes: a new value is a new version with fresh metadata, and a read pairs
 * a meta record with the value it got (which another replica may have replaced in between).
 */
import type { Resource } from '../resources';
import type { StoredEntry, StoredMeta, StoredValue } from './store';

/** Meta and value of one read: another replica may have written a newer value between the two GETs. */
export function pairOf<T>(meta: StoredMeta, stored: StoredValue | undefined): StoredEntry<T> {
  if (!stored) return { meta: { ...meta, fetchedAt: null }, value: null };
  const pairMeta = stored.version === meta.version ? meta : { ...meta, version: stored.version, fetchedAt: stored.fetchedAt };
  return { meta: pairMeta, value: stored.value as T };
}

export function newVersion(previous: StoredMeta | undefined, resource: Resource, value: unknown, at: number) {
  const version = (previous?.version ?? 0) + 1;
  const valueJson = JSON.stringify(value);
  const meta: StoredMeta = {
    resource,
    fetchedAt: at,
    version,
    recordCount: Array.isArray(value) ? value.length : 1,
    sizeBytes: Buffer.byteLength(valueJson),
    lastError: null,
    lastErrorAt: null,
    failingSince: null,
    invalidatedAt: null,
    clearedAt: null,
  };
  return { meta, valueJson, stored: { version, fetchedAt: at, value } satisfies StoredValue };
}
