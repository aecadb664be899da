/**
 * Which keys someone is looking at, so refresh-ahead keeps them fresh. A read watches its key for
 * one TTL (someone who just loaded a dashboard will likely load it again); a subscription watches
 * until it unwatches. The shortest TTL among active watchers sets how fresh the key is kept.
 */
import { resourceKey, type Resource } from '../resources';

export interface Watched {
  key: string;
  resource: Resource;
  ttlMs: number;
  /** Watched by reads until then (epoch ms). */
  readUntil: number;
  subscribers: number;
}

export function createWatchList() {
  const watched = new Map<string, Watched>();

  function upsert(resource: Resource, ttlMs: number, now: number, key = resourceKey(resource)): Watched {
    const current = watched.get(key);
    if (!current || !isActive(current, now)) {
      const fresh: Watched = { key, resource, ttlMs, readUntil: now, subscribers: current?.subscribers ?? 0 };
      watched.set(key, fresh);
      return fresh;
    }
    current.ttlMs = Math.min(current.ttlMs, ttlMs);
    return current;
  }

  return {
    /** A read of this key: watch it for one TTL (`key` when the caller has it already). */
    touch(resource: Resource, ttlMs: number, now: number, key?: string): void {
      const w = upsert(resource, ttlMs, now, key);
      w.readUntil = Math.max(w.readUntil, now + ttlMs);
    },
    subscribe(resource: Resource, ttlMs: number, now: number): void {
      upsert(resource, ttlMs, now).subscribers += 1;
    },
    unsubscribe(resource: Resource): void {
      const w = watched.get(resourceKey(resource));
      if (w && w.subscribers > 0) w.subscribers -= 1;
    },
    /** Ends the read-watch of a key (its entry was cleared); subscriptions keep watching. */
    forget(key: string): void {
      const w = watched.get(key);
      if (!w) return;
      if (w.subscribers > 0) w.readUntil = 0;
      else watched.delete(key);
    },
    get(key: string): Watched | undefined {
      return watched.get(key);
    },
    isWatched(key: string, now: number): boolean {
      const w = watched.get(key);
      return !!w && isActive(w, now);
    },
    /** The keys still watched at `now` (forgets the rest). */
    active(now: number): Watched[] {
      const out: Watched[] = [];
      for (const [key, w] of watched) {
        if (isActive(w, now)) out.push(w);
        else watched.delete(key);
      }
      return out;
    },
  };
}

function isActive(w: Watched, now: number): boolean {
  return w.subscribers > 0 || w.readUntil > now;
}
