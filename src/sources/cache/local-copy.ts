/**
 * What this process holds of the Redis store: per key the last meta record it saw or wrote, the
 * last decoded value (so a warm read never re-parses megabytes of JSON), and the connection epoch
 * in which Redis last had them. It is the fallback while Redis does not answer (those answers are
 * flagged `localCopy`) and the source of a restore after Redis lost its data (store.ts).
 */
import type { StoredEntry, StoredMeta, StoredValue } from './store';

export interface HeldEntry {
  meta: StoredMeta;
  value: StoredValue | null;
  /** Connection epoch in which Redis last had this entry; -1 = written here only. */
  confirmedIn: number;
}

export interface LocalCopy {
  /** The decoded value when it is of the version asked for. */
  value(key: string, version: number): StoredValue | undefined;
  /** Redis had (or took) this meta, and maybe the value: `epoch`; -1 when only this process has it. */
  keep(key: string, epoch: number, meta: StoredMeta, value?: StoredValue): void;
  held(key: string): HeldEntry | undefined;
  forget(key: string): void;
  /** The held entry, flagged as answered from this process: for reads while Redis is down. */
  fallback<T>(key: string): StoredEntry<T> | undefined;
  keys(): string[];
  /** Upstream fetch times of the values held. */
  fetchTimes(): number[];
  clear(): void;
}

export function createLocalCopy(): LocalCopy {
  const entries = new Map<string, HeldEntry>();

  return {
    value(key, version) {
      const value = entries.get(key)?.value;
      return value && value.version === version ? value : undefined;
    },
    keep(key, epoch, meta, value) {
      const { localCopy: _flag, ...clean } = meta;
      entries.set(key, { meta: clean, value: value ?? entries.get(key)?.value ?? null, confirmedIn: epoch });
    },
    held: (key) => entries.get(key),
    forget: (key) => void entries.delete(key),
    fallback<T>(key: string): StoredEntry<T> | undefined {
      const held = entries.get(key);
      if (!held) return undefined;
      const { meta, value } = held;
      if (!value) return { meta: { ...meta, fetchedAt: null, localCopy: true }, value: null };
      // The meta may name a newer version whose value never reached this process: serve the value held, as what it is.
      return { meta: { ...meta, version: value.version, fetchedAt: value.fetchedAt, localCopy: true }, value: value.value as T };
    },
    keys: () => [...entries.keys()],
    fetchTimes: () => [...entries.values()].flatMap((h) => (h.value ? [h.value.fetchedAt] : [])),
    clear: () => entries.clear(),
  };
}
