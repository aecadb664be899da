/**
 * Single-flight refreshes. In this process, concurrent refreshes of one key share one promise.
 * Across replicas, a lease decides who fetches: its holder renews it every `leaseMs / 3` while the
 * fetch runs (a page walk at the key's pace can take minutes), so it never lapses under a live
 * holder. An interactive caller that loses waits for the holder's value (or failure) to land for
 * as long as the lease is live, and never fetches the key a second time meanwhile; the request's
 * deadline bounds what its reader waits (src/resolvers/pipeline.ts: the stale value or a
 * still-loading error, while the flight goes on and lands in the cache). A holder that died stops
 * renewing, its lease lapses within `leaseMs`, and a waiter takes it and fetches. A background
 * caller that loses simply steps aside (stale is served). A flight never rejects: failures come
 * back as values and are recorded on the entry.
 */
import type { Clock } from '../../clock';
import type { TriggeredBy } from '../../monitoring/events';
import { toSourceErrorInfo, type SourceErrorInfo } from '../errors';
import { resourceKey, workspaceOf, type Resource } from '../resources';
import type { RefreshLock } from './lock';
import type { CacheStore, StoredEntry, StoredMeta } from './store';
import type { Fetcher } from './types';
import { failedSinceFetch as failing } from './entry-meta';
import { fetchStamp } from '../freshness';

export type FlightResult =
  | { kind: 'landed'; entry: StoredEntry; fetchedHere: boolean; durationMs: number | null }
  | { kind: 'failed'; error: SourceErrorInfo; entry: StoredEntry | undefined; durationMs: number | null }
  /** Background only: another replica holds the lease. */
  | { kind: 'skipped' };

export interface FlightRequest {
  priority: 'interactive' | 'background';
  triggeredBy: TriggeredBy;
  /** Version the caller saw; a newer one landing elsewhere answers the flight. */
  seenVersion: number;
  /** Fetch even if another replica landed a newer version meanwhile (explicit refresh). */
  force?: boolean;
}

export interface FlightOptions {
  store: CacheStore;
  fetch: Fetcher;
  clock: Clock;
  lock: RefreshLock | null;
  /** Lease length (real time): how soon a dead holder's key is taken over. Renewed every third of it while the fetch runs. */
  leaseMs: number;
  /** How often a waiting replica re-reads the entry (real time). */
  pollMs: number;
  /** This process is about to call upstream for the key. */
  onFetch(resource: Resource, key: string): void;
  /** A flight of the key begins in this process (from now on `isInFlight` says so). */
  onStart?(key: string): void;
  onDone(resource: Resource, key: string, result: FlightResult): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Flights {
  isInFlight(key: string): boolean;
  /** Joins the flight of this key or starts one. An interactive caller never ends with `skipped`. */
  run(resource: Resource, req: FlightRequest): Promise<FlightResult>;
}

export function createFlights(o: FlightOptions): Flights {
  const inflight = new Map<string, Promise<FlightResult>>();

  async function fetchAndStore(resource: Resource, key: string, req: FlightRequest): Promise<FlightResult> {
    o.onFetch(resource, key);
    const t0 = performance.now();
    try {
      const value = await o.fetch(resource, { priority: req.priority, triggeredBy: req.triggeredBy });
      // Stamped when the upstream answered, not when the call was queued: time spent waiting for
      // a pool slot or a rate token does not make the data older. To the whole second (fetchStamp).
      const answeredAt = fetchStamp(o.clock.now());
      const durationMs = Math.round(performance.now() - t0);
      try {
        const meta = await o.store.putValue(key, resource, value, answeredAt);
        return { kind: 'landed', entry: { meta, value }, fetchedHere: true, durationMs };
      } catch {
        // The store is down: the reader still gets what we fetched.
        return { kind: 'landed', entry: { meta: blankMeta(resource, answeredAt, value), value }, fetchedHere: true, durationMs };
      }
    } catch (err) {
      const error = toSourceErrorInfo(err, workspaceOf(resource));
      const durationMs = Math.round(performance.now() - t0);
      const entry = await recordFailure(resource, key, error).catch(() => undefined);
      return { kind: 'failed', error, entry, durationMs };
    }
  }

  async function recordFailure(resource: Resource, key: string, error: SourceErrorInfo): Promise<StoredEntry | undefined> {
    const current = await o.store.getMeta(key) ?? blankMeta(resource, null, null);
    const now = o.clock.now();
    const failingSince = failing(current) ? (current.failingSince ?? current.lastErrorAt ?? now) : now;
    // A cleared entry has had its refetch: from here it is a failing entry like any other, served
    // stale-if-error at once while background refreshes retry (readers must not all wait again).
    const meta: StoredMeta = { ...current, lastError: error, lastErrorAt: now, failingSince, clearedAt: null };
    await o.store.putMeta(key, meta);
    return o.store.get(key);
  }

  /** Waits for the lease holder's value or failure while its lease is live; a token once the lease was free to take (its holder is gone). */
  async function awaitOtherReplica(key: string, req: FlightRequest, lock: RefreshLock): Promise<FlightResult | { token: string }> {
    const waitStarted = o.clock.now();
    for (;;) {
      await sleep(o.pollMs);
      const meta = await o.store.getMeta(key);
      if (meta && meta.version > req.seenVersion) {
        const entry = await o.store.get(key);
        if (entry) return { kind: 'landed', entry, fetchedHere: false, durationMs: null };
      }
      if (meta?.lastErrorAt != null && meta.lastErrorAt >= waitStarted && meta.lastError) {
        return { kind: 'failed', error: meta.lastError, entry: await o.store.get(key), durationMs: null };
      }
      const token = await lock.acquire(key, o.leaseMs);
      if (token) return { token };
      // Still held: its holder is alive and renewing it. Wait on.
    }
  }

  /** Renews the lease every third of its length until the returned stop is called (or it is lost). */
  function keepLease(lock: RefreshLock, key: string, token: string): () => void {
    const timer = setInterval(function renewLease() {
      lock.extend(key, token, o.leaseMs).then(
        (held) => held || clearInterval(timer), // lost (it lapsed): someone else may hold it now
        () => {}, // Redis did not answer: try again at the next beat; it lapses by itself if Redis stays away
      );
    }, Math.max(1, Math.floor(o.leaseMs / 3)));
    timer.unref?.();
    return () => clearInterval(timer);
  }

  async function fly(resource: Resource, key: string, req: FlightRequest): Promise<FlightResult> {
    if (!o.lock) return fetchAndStore(resource, key, req);
    const lock = o.lock;
    let token: string | null;
    try {
      token = await lock.acquire(key, o.leaseMs);
      if (!token) {
        if (req.priority === 'background') return { kind: 'skipped' };
        const waited = await awaitOtherReplica(key, req, lock);
        if ('kind' in waited) return waited;
        token = waited.token;
      }
      if (!req.force) {
        // Another replica may have landed a value between our read and our lease.
        const meta = await o.store.getMeta(key);
        const entry = meta && meta.version > req.seenVersion ? await o.store.get(key) : undefined;
        if (entry) {
          // Give the lease back at once: held to its expiry, it would make every replica skip this key's refreshes.
          if (token) await lock.release(key, token).catch(() => {});
          return { kind: 'landed', entry, fetchedHere: false, durationMs: null };
        }
      }
    } catch {
      token = null; // lock or store unreachable: fetching twice beats not answering
    }
    const stopRenewing = token ? keepLease(lock, key, token) : () => {};
    try {
      return await fetchAndStore(resource, key, req);
    } finally {
      stopRenewing();
      if (token) await lock.release(key, token).catch(() => {});
    }
  }

  function start(resource: Resource, key: string, req: FlightRequest): Promise<FlightResult> {
    const p = fly(resource, key, req)
      .catch((err): FlightResult => ({ kind: 'failed', error: toSourceErrorInfo(err, workspaceOf(resource)), entry: undefined, durationMs: null }))
      .then((result) => {
        inflight.delete(key);
        o.onDone(resource, key, result);
        return result;
      });
    inflight.set(key, p);
    o.onStart?.(key);
    return p;
  }

  return {
    isInFlight: (key) => inflight.has(key),
    async run(resource, req) {
      const key = resourceKey(resource);
      const shared = inflight.get(key);
      if (shared) {
        const result = await shared;
        if (result.kind !== 'skipped' || req.priority === 'background') return result;
        return inflight.get(key) ?? start(resource, key, req);
      }
      return start(resource, key, req);
    },
  };
}

function blankMeta(resource: Resource, fetchedAt: number | null, value: unknown): StoredMeta {
  return {
    resource,
    fetchedAt,
    version: 0,
    recordCount: Array.isArray(value) ? value.length : value == null ? 0 : 1,
    sizeBytes: 0,
    lastError: null,
    lastErrorAt: null,
    failingSince: null,
    invalidatedAt: null,
    clearedAt: null,
  };
}
