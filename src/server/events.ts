/**
 * Gateway events for subscriptions: in-process by default; through Redis when `REDIS_URL` is set,
 * so a subscriber on one replica sees a refresh done by another (./redis-events.ts: Redis trouble
 * is caught, counted and never reaches the process). Payloads cross Redis as JSON, so they are
 * plain data (numbers, strings, null), never class instances or functions. Values that merely age
 * are not events: each subscription re-judges what it shows on its own clock tick
 * (src/resolvers/live.ts).
 */
import { setMaxListeners } from 'node:events';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { Counter, type Registry } from 'prom-client';
import type { GatewayTopics } from '../resolvers/context';
import { createRedisEvents, type EventTargetLike } from './redis-events';

export type { FreshnessPayload, GatewayTopics, HealthPayload } from '../resolvers/context';

export interface GatewayEventsOptions {
  redisUrl: string | null;
  /** Names the Redis channels; replicas that share a cache share it. @default 'bison-gateway' */
  channelPrefix?: string;
  /** Redis: longest wait for a publish. @default 1000 */
  redisTimeoutMs?: number;
  /** Where `bison_events_publish_failures_total` is registered. */
  registry?: Registry;
}

export interface GatewayEvents {
  pubsub: PubSub<GatewayTopics>;
  subscribe<T extends keyof GatewayTopics>(topic: T): AsyncIterableIterator<GatewayTopics[T][0]>;
  /**
   * The gateway's own listener on a topic (the response cache hearing other replicas' changes):
   * called for every event, local or from Redis; not a subscription, so not in `stats().listeners`.
   */
  listen<T extends keyof GatewayTopics>(topic: T, callback: (payload: GatewayTopics[T][0]) => void): () => void;
  /** Live listeners on the event target (leak checks) and publishes Redis did not take. */
  stats(): { listeners: number; publishFailures: number };
  /** Null without Redis; else whether both pub/sub connections are up. */
  redisReachable(): boolean | null;
  /** Never rejects, whatever state Redis is in. */
  close(): Promise<void>;
}

type Listener = EventListenerOrEventListenerObject;

/**
 * One process's events. Every open subscription listens on its topic, so a busy topic has many
 * listeners: no "possible memory leak" warning at 11 (closed subscriptions are counted, below).
 */
function localTarget(): EventTargetLike {
  const target = new EventTarget();
  setMaxListeners(0, target);
  return target as EventTargetLike;
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

export function createGatewayEvents(options: GatewayEventsOptions): GatewayEvents {
  const { redisUrl, channelPrefix = 'bison-gateway' } = options;
  let publishFailures = 0;
  const failures = new Counter({
    name: 'bison_events_publish_failures_total',
    help: 'Subscription events Redis did not take (delivered to this replica\'s subscribers only)',
    registers: options.registry ? [options.registry] : [],
  });
  const redis = redisUrl
    ? createRedisEvents({
      url: redisUrl,
      channelPrefix,
      timeoutMs: options.redisTimeoutMs,
      onPublishFailure() {
        publishFailures += 1;
        failures.inc();
      },
    })
    : null;
  const target = redis?.target ?? localTarget();
  const counted = counting(target);
  const pubsub = createPubSub<GatewayTopics>({ eventTarget: counted.target as never });
  return {
    pubsub,
    subscribe: (topic) => pubsub.subscribe(topic as 'freshness') as never,
    listen(topic, callback) {
      const listener = (event: Event) => callback((event as CustomEvent).detail);
      target.addEventListener(topic, listener);
      return () => target.removeEventListener(topic, listener);
    },
    stats: () => ({ listeners: counted.listeners(), publishFailures }),
    redisReachable: () => (redis ? redis.reachable() : null),
    async close() {
      await redis?.close();
    },
  };
}
