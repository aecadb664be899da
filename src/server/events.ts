/**
 * Gateway events for subscriptions: in-process by default; through Redis when `REDIS_URL` is set,
 * so a subscriber on one replica sees a refresh done by another.
 */
import { createPubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { EntryMeta } from '../sources/cache/types';
import type { ResourceKind } from '../sources/resources';

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

export interface GatewayEvents {
  pubsub: ReturnType<typeof createPubSub<GatewayTopics>>;
  close(): Promise<void>;
}

export function createGatewayEvents(redisUrl: string | null, channelPrefix = 'bison-gateway'): GatewayEvents {
  if (!redisUrl) return { pubsub: createPubSub<GatewayTopics>(), close: async () => {} };
  const options = { lazyConnect: false, maxRetriesPerRequest: 3, keyPrefix: undefined } as const;
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  // Connection trouble must not crash the process; ioredis reconnects on its own.
  publishClient.on('error', () => {});
  subscribeClient.on('error', () => {});
  const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  const prefixed = {
    addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => eventTarget.addEventListener(`${channelPrefix}:${type}`, listener as never),
    removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) => eventTarget.removeEventListener(`${channelPrefix}:${type}`, listener as never),
    dispatchEvent: (event: CustomEvent) => eventTarget.dispatchEvent(new CustomEvent(`${channelPrefix}:${event.type}`, { detail: event.detail })),
  };
  return {
    pubsub: createPubSub<GatewayTopics>({ eventTarget: prefixed as never }),
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
