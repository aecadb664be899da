/**
 * Gateway events for subscriptions: in-process by default; through Redis when `REDIS_URL` is set,
 * so a subscriber on one replica sees a refresh done by another. Payloads cross Redis as JSON, so
 * they are plain data (numbers, strings, null), never class instances or functions. Values that
 * merely age are not events: each subscription re-judges what it shows on its own clock tick
 * (src/resolvers/live.ts).
 */
import { createPubSub, type PubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { GatewayTopics } from '../resolvers/context';

export type { FreshnessPayload, GatewayTopics, HealthPayload } from '../resolvers/context';

export interface GatewayEventsOptions {
  redisUrl: string | null;
  /** Names the Redis channels; replicas that share a cache share it. @default 'bison-gateway' */
  channelPrefix?: string;
}

export interface GatewayEvents {
  pubsub: PubSub<GatewayTopics>;
  subscribe<T extends keyof GatewayTopics>(topic: T): AsyncIterableIterator<GatewayTopics[T][0]>;
  /** Live listeners on the event target (leak checks). */
  stats(): { listeners: number };
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
  const { redisUrl, channelPrefix = 'bison-gateway' } = options;
  const redis = redisUrl ? redisTarget(redisUrl, channelPrefix) : null;
  const counted = counting(redis?.target ?? (new EventTarget() as EventTargetLike));
  const pubsub = createPubSub<GatewayTopics>({ eventTarget: counted.target as never });
  return {
    pubsub,
    subscribe: (topic) => pubsub.subscribe(topic as 'freshness') as never,
    stats: () => ({ listeners: counted.listeners() }),
    async close() {
      redis?.close();
    },
  };
}
