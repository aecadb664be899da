/**
 * Tells the world when an entry changes state: monitoring (`observer.cacheState`, one row per key)
 * and in-process listeners (`onChange`, the seed of `freshnessChanged` subscriptions). Listener
 * and observer faults are swallowed: reporting must never break a read.
 */
import type { CacheStatus, SourceObserver } from '../../monitoring/events';
import { workspaceOf, type Resource } from '../resources';
import type { StoredMeta } from './store';
import type { CacheChangeListener, EntryMeta } from './types';

export interface StateReport {
  fetchDurationMs?: number | null;
}

export function createNotifier(observer: SourceObserver) {
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
    /**
     * Records a state; reports it when it changed, or always when `landed` (a new version is
     * news for the metadata table even if the state stays `fresh`).
     */
    state(resource: Resource, key: string, status: CacheStatus, stored: StoredMeta | undefined, report: StateReport & { landed?: boolean } = {}): void {
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
    read: (kind: string, outcome: Parameters<SourceObserver['cacheRead']>[1]) => safely(() => observer.cacheRead(kind, outcome)),
    change(resource: Resource, key: string, meta: EntryMeta): void {
      for (const listener of listeners) safely(() => listener({ resource, key, meta }));
    },
    onChange(listener: CacheChangeListener): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
