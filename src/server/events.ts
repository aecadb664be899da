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
import { Counter, type Registry } from 'prom-client';
import type { Clock } from '../clock';
import type { EntryMeta } from '../sources/cache/types';
import type { ResourceKind } from '../sources/resources';
import { createFreshnessAgeing } from './freshness-ageing';
import { createRedisEvents, type EventTargetLike } from './redis-events';

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
  /** Redis: longest wait for a publish. @default 1000 */
  redisTimeoutMs?: number;
  /** Where `bison_events_publish_failures_total` is registered. */
  registry?: Registry;
}

export interface GatewayEvents {
  pubsub: ReturnType<typeof createPubSub<GatewayTopics>>;
  subscribe<T extends keyof GatewayTopics>(topic: T): AsyncIterableIterator<GatewayTopics[T][0]>;
  /** Live listeners on the event target, whether the ageing timer runs (leak checks), publishes Redis did not take. */
  stats(): { listeners: number; ageingTimer: boolean; trackedKeys: number; publishFailures: number };
  /** Null without Redis; else whether both pub/sub connections are up. */
  redisReachable(): boolean | null;
  /** Never rejects, whatever state Redis is in. */
  close(): Promise<void>;
}

type Listener = EventListenerOrEventListenerObject;

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
  const { redisUrl, channelPrefix = 'bison-gateway', clock, ageingTickMs = 1_000 } = options;
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
    stats: () => ({ listeners: counted.listeners(), ageingTimer: ageing.running(), trackedKeys: ageing.size(), publishFailures }),
    redisReachable: () => (redis ? redis.reachable() : null),
    async close() {
      ageing.stop();
      await learning.return?.();
      await redis?.close();
    },
  };
}
