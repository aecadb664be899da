/**
 * Gateway events for subscriptions: in-process by default; through Redis when `REDIS_URL` is set,
 * so a subscriber on one replica sees a refresh done by another. Payloads cross Redis as JSON, so
 * they are plain data (numbers, strings, null), never class instances or functions.
 *
 * `subscribe('freshness')` also hears this replica's ageing events (an entry nobody refreshed
 * turned STALE or VERY_STALE): those are a matter of the clock, so every replica works them out
 * for its own subscribers instead of sending them through Redis once per replica.
 */
import { createPubSub, Repeater } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Clock } from '../clock';
import type { EntryMeta } from '../sources/cache/types';
import type { ResourceKind } from '../sources/resources';
import { createFreshnessAgeing } from './freshness-ageing';

export interface FreshnessPayload {
  key: string;
  kind: ResourceKind;
  workspaceId: number | null;
  meta: EntryMeta;
}

export interface HealthPayload {
  score: number;
  status: string;
}

export type GatewayTopics = {
  freshness: [FreshnessPayload];
  health: [HealthPayload];
};

export interface GatewayEventsOptions {
  redisUrl: string | null;
  /** Names the Redis channels; replicas that share a cache share it. @default 'bison-gateway' */
  channelPrefix?: string;
  clock: Clock;
  /** How often ageing is checked while anyone subscribes. @default 1000 */
  ageingTickMs?: number;
}

export interface GatewayEvents {
  pubsub: ReturnType<typeof createPubSub<GatewayTopics>>;
  subscribe<T extends keyof GatewayTopics>(topic: T): AsyncIterableIterator<GatewayTopics[T][0]>;
  /** Live listeners on the event target and whether the ageing timer runs (leak checks). */
  stats(): { listeners: number; ageingTimer: boolean; trackedKeys: number };
  close(): Promise<void>;
}

type Listener = EventListenerOrEventListenerObject;
interface EventTargetLike {
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
  dispatchEvent(event: CustomEvent): boolean;
}

/** Counts listeners, so a test can prove that closed subscriptions leave none behind. */
function counting(target: EventTargetLike) {
  let listeners = 0;
  return {
    listeners: () => listeners,
    target: {
      addEventListener(type: string, listener: Listener) {
        listeners += 1;
        target.addEventListener(type, listener);
      },
      removeEventListener(type: string, listener: Listener) {
        listeners -= 1;
        target.removeEventListener(type, listener);
      },
      dispatchEvent: (event: CustomEvent) => target.dispatchEvent(event),
    },
  };
}

function redisTarget(redisUrl: string, channelPrefix: string): { target: EventTargetLike; close(): void } {
  const options = { lazyConnect: false, maxRetriesPerRequest: 3, keyPrefix: undefined } as const;
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  // Connection trouble must not crash the process; ioredis reconnects on its own.
  publishClient.on('error', () => {});
  subscribeClient.on('error', () => {});
  const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  const channel = (type: string) => `${channelPrefix}:${type}`;
  return {
    target: {
      addEventListener: (type, listener) => eventTarget.addEventListener(channel(type), listener as never),
      removeEventListener: (type, listener) => eventTarget.removeEventListener(channel(type), listener as never),
      dispatchEvent: (event) => eventTarget.dispatchEvent(new CustomEvent(channel(event.type), { detail: event.detail })),
    },
    close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}

export function createGatewayEvents(options: GatewayEventsOptions): GatewayEvents {
  const { redisUrl, channelPrefix = 'bison-gateway', clock, ageingTickMs = 1_000 } = options;
  const redis = redisUrl ? redisTarget(redisUrl, channelPrefix) : null;
  const counted = counting(redis?.target ?? (new EventTarget() as EventTargetLike));
  const pubsub = createPubSub<GatewayTopics>({ eventTarget: counted.target as never });
  const ageing = createFreshnessAgeing({ clock, tickMs: ageingTickMs });
  // One listener per replica learns every entry's latest state, including other replicas' refreshes.
  const learning = pubsub.subscribe('freshness');
  void (async () => {
    for await (const payload of learning) ageing.learn(payload);
  })();

  function subscribe<T extends keyof GatewayTopics>(topic: T): AsyncIterableIterator<GatewayTopics[T][0]> {
    if (topic !== 'freshness') return pubsub.subscribe(topic as 'health') as AsyncIterableIterator<GatewayTopics[T][0]>;
    return Repeater.merge([pubsub.subscribe('freshness'), ageing.subscribe()]) as AsyncIterableIterator<GatewayTopics[T][0]>;
  }

  return {
    pubsub,
    subscribe,
    stats: () => ({ listeners: counted.listeners(), ageingTimer: ageing.running(), trackedKeys: ageing.size() }),
    async close() {
      ageing.stop();
      await learning.return?.();
      redis?.close();
    },
  };
}
