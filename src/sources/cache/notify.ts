/**
 * Tells the world when an entry changes state: monitoring (`observer.cacheState`, one row per key)
 * and in-process listeners (`onChange`, the seed of `freshnessChanged` subscriptions). Listener
 * and observer faults are swallowed: reporting must never break a read.
 */
import type { CacheReadOutcome, CacheStatus, SourceObserver } from '../../monitoring/events';
import { workspaceOf, type Resource } from '../resources';
import type { StoredMeta } from './store';
import type { CacheChangeListener, EntryMeta } from './types';

export interface StateReport {
  fetchDurationMs?: number | null;
  /** A new version landed: news for the metadata table even if the status stays `fresh`. */
  landed?: boolean;
}

export interface Notifier {
  /** The last status reported for a key. */
  status(key: string): CacheStatus | undefined;
  forget(key: string): void;
  /** Records a status; reports it to monitoring when it changed, or when a version landed. */
  state(resource: Resource, key: string, status: CacheStatus, stored: StoredMeta | undefined, report?: StateReport): void;
  read(kind: string, outcome: CacheReadOutcome): void;
  /** Tells `onChange` listeners what a reader would now be told about the entry. */
  change(resource: Resource, key: string, meta: EntryMeta): void;
  onChange(listener: CacheChangeListener): () => void;
}

export function createNotifier(observer: SourceObserver): Notifier {
  const statusByKey = new Map<string, CacheStatus>();
  const listeners = new Set<CacheChangeListener>();

  function safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // an observer or listener fault is theirs to log; the cache carries on
    }
  }

  return {
    status: (key: string) => statusByKey.get(key),
    forget: (key: string) => void statusByKey.delete(key),
    state(resource, key, status, stored, report = {}) {
      if (statusByKey.get(key) === status && !report.landed) return;
      statusByKey.set(key, status);
      safely(() =>
        observer.cacheState({
          key,
          workspaceId: workspaceOf(resource),
          resource: resource.kind,
          status,
          lastUpdated: stored?.fetchedAt ?? null,
          fetchDurationMs: report.fetchDurationMs ?? null,
          recordCount: stored?.recordCount ?? null,
          sizeBytes: stored?.sizeBytes ?? null,
          errorMessage: status === 'error' ? (stored?.lastError?.message ?? null) : null,
          version: stored?.version ?? 0,
        }),
      );
    },
    read: (kind, outcome) => safely(() => observer.cacheRead(kind, outcome)),
    change(resource, key, meta) {
      for (const listener of listeners) safely(() => listener({ resource, key, meta }));
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
