/**
 * Which keys someone is looking at, so refresh-ahead keeps them fresh. A read watches its key for
 * one TTL (someone who just loaded a dashboard will likely load it again); a subscription watches
 * until it unwatches. How fresh a key is kept is the freshness policy's TTL of its resource.
 */
import { resourceKey, type Resource } from '../resources';

export interface Watched {
  key: string;
  resource: Resource;
  /** Watched by reads until then (epoch ms). */
  readUntil: number;
  subscribers: number;
}

export interface WatchList {
  /** A read of this key: watch it for one TTL (`key` when the caller has it already). */
  touch(resource: Resource, now: number, key?: string): void;
  subscribe(resource: Resource): void;
  unsubscribe(resource: Resource): void;
  /** Ends the read-watch of a key (its entry was cleared); subscriptions keep watching. */
  forget(key: string): void;
  get(key: string): Watched | undefined;
  isWatched(key: string, now: number): boolean;
  /** The keys still watched at `now` (forgets the rest). */
  active(now: number): Watched[];
}

export function createWatchList(ttlMs: (resource: Resource) => number): WatchList {
  const watched = new Map<string, Watched>();

  function entry(resource: Resource, key = resourceKey(resource)): Watched {
    let w = watched.get(key);
    if (!w) watched.set(key, (w = { key, resource, readUntil: 0, subscribers: 0 }));
    return w;
  }

  return {
    touch(resource, now, key) {
      const w = entry(resource, key);
      w.readUntil = Math.max(w.readUntil, now + ttlMs(resource));
    },
    subscribe(resource) {
      entry(resource).subscribers += 1;
    },
    unsubscribe(resource) {
      const w = watched.get(resourceKey(resource));
      if (w && w.subscribers > 0) w.subscribers -= 1;
    },
    forget(key) {
      const w = watched.get(key);
      if (!w) return;
      if (w.subscribers > 0) w.readUntil = 0;
      else watched.delete(key);
    },
    get: (key) => watched.get(key),
    isWatched(key, now) {
      const w = watched.get(key);
      return !!w && isActive(w, now);
    },
    active(now) {
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
