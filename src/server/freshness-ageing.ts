/**
 * Entries age without anyone touching them: a value fetched at 12:00 is FRESH, at 12:02 STALE and
 * after 12:10 VERY_STALE, and no cache operation marks those moments. This tracker remembers the
 * latest metadata of every entry it heard about and, while anyone subscribes, checks on a timer
 * whether an entry crossed into a new state; if so it tells its subscribers (the same payload, so
 * the subscriber works out the new freshness at its own `now`).
 */
import { Repeater, SlidingBuffer } from 'graphql-yoga';
import type { Clock } from '../clock';
import { freshnessOf, type FreshnessState } from '../sources/freshness';
import type { FreshnessPayload } from './events';

interface Tracked {
  payload: FreshnessPayload;
  state: FreshnessState;
}

export function createFreshnessAgeing(options: { clock: Clock; tickMs: number }) {
  const { clock, tickMs } = options;
  const entries = new Map<string, Tracked>();
  const listeners = new Set<(payload: FreshnessPayload) => void>();
  let timer: ReturnType<typeof setInterval> | null = null;
  const stateOf = (payload: FreshnessPayload, now: number) => freshnessOf([payload.meta], now).state;

  function tick(): void {
    const now = clock.now();
    for (const [key, tracked] of entries) {
      const state = stateOf(tracked.payload, now);
      if (state === tracked.state) continue;
      tracked.state = state;
      const aged = agedPayload(tracked.payload);
      for (const listener of listeners) listener(aged);
      // VERY_STALE and ERROR are final until the next refresh, which `learn` hears about.
      if (state === 'VERY_STALE' || state === 'ERROR') entries.delete(key);
    }
  }

  /** The timer runs only while someone listens: an idle gateway keeps no timer for this. */
  function syncTimer(): void {
    if (listeners.size > 0 && !timer) {
      timer = setInterval(tick, tickMs);
      timer.unref?.();
    } else if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  return {
    /** A change the cache reported (here or on another replica): the entry's new starting point. */
    learn(payload: FreshnessPayload): void {
      const state = stateOf(payload, clock.now());
      if (state === 'VERY_STALE' || state === 'ERROR') entries.delete(payload.key);
      else entries.set(payload.key, { payload, state });
    },
    /** Ageing events until the consumer stops (each subscriber has its own bounded buffer). */
    subscribe(): Repeater<FreshnessPayload> {
      return new Repeater<FreshnessPayload>(async (push, stop) => {
        const listener = (payload: FreshnessPayload) => void push(payload);
        listeners.add(listener);
        syncTimer();
        await stop;
        listeners.delete(listener);
        syncTimer();
      }, new SlidingBuffer(256));
    },
    running: () => timer !== null,
    size: () => entries.size,
    stop(): void {
      listeners.clear();
      syncTimer();
    },
  };
}

/** What an aged entry looks like to a reader now: served from the cache, not just fetched. */
function agedPayload(payload: FreshnessPayload): FreshnessPayload {
  const origin = payload.meta.origin === 'UPSTREAM' ? 'CACHE' : payload.meta.origin;
  return { ...payload, meta: { ...payload.meta, origin } };
}
