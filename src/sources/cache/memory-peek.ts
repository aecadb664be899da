/**
 * The memory store's synchronous read: the entry straight from the Map Keyv writes into (the
 * process IS the store), so it is coherent with every write, meta change and delete made through
 * Keyv by any store sharing that Map. A warm read then costs two Map lookups, no promise and, while
 * the entry is unchanged, no allocation. Keyv stays the only writer.
 */
import type { StoredEntry, StoredMeta, StoredValue } from './store';

/** Keyv's record in the Map (`{ value, expires }`): its value, or undefined when absent or expired (Keyv's rule). */
function live(record: unknown): unknown {
  if (typeof record !== 'object' || record === null) return undefined;
  const { value, expires } = record as { value?: unknown; expires?: unknown };
  return typeof expires === 'number' && Date.now() > expires ? undefined : value;
}

/** The live entry, or undefined when there is none (or a write is half done): then ask `get`. */
export type MemoryPeek = (key: string) => StoredEntry | undefined;

export function createMemoryPeek(map: Map<string, unknown>, metaKey: (key: string) => string, dataKey: (key: string) => string): MemoryPeek {
  // One StoredEntry per stored meta record: every write replaces the record, so the pair is
  // rebuilt exactly when the entry changed.
  const pairs = new WeakMap<StoredMeta, StoredEntry>();
  const remember = (meta: StoredMeta, entry: StoredEntry) => (pairs.set(meta, entry), entry);
  // The Map keys of an entry, built once: a fresh concatenation would be re-hashed on every lookup.
  const mapKeys = new Map<string, { meta: string; data: string }>();
  function mapKeysOf(key: string): { meta: string; data: string } {
    let known = mapKeys.get(key);
    if (!known) {
      if (mapKeys.size >= 10_000) mapKeys.clear(); // old date windows fall out of use; stay bounded
      known = { meta: metaKey(key), data: dataKey(key) };
      mapKeys.set(key, known);
    }
    return known;
  }

  return function peek(key: string): StoredEntry | undefined {
    const keys = mapKeysOf(key);
    const meta = live(map.get(keys.meta)) as StoredMeta | undefined;
    if (!meta) return undefined;
    const known = pairs.get(meta);
    if (meta.version === 0) return known ?? remember(meta, { meta, value: null });
    const stored = live(map.get(keys.data)) as StoredValue | undefined;
    // Between a write's two sets (value, then meta) the versions differ: `get` settles such a pair.
    if (!stored || stored.version !== meta.version) return undefined;
    if (known && known.value === stored.value) return known;
    return remember(meta, { meta, value: stored.value });
  };
}
