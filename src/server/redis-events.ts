/**
 * Subscription events through Redis pub/sub (ioredis), so a subscriber on one replica hears a
 * refresh made by another. Redis trouble never reaches the process: publishing fails fast (no
 * offline queue, a short timeout), every rejected promise is caught and counted, and while this
 * replica cannot hear Redis (its publish failed, or the subscriber connection is down) it delivers
 * its own events to its own subscribers, so they keep hearing this replica's refreshes. Both
 * connections reconnect by themselves; subscriptions are renewed on reconnect (ioredis
 * `autoResubscribe`).
 *
 * `@graphql-yoga/redis-event-target` left every publish, subscribe and unsubscribe promise
 * unhandled: an unhandled `MaxRetriesPerRequestError` or "Connection is closed." stopped the
 * process whenever Redis went away.
 */
import { Redis } from 'ioredis';

type Listener = EventListenerOrEventListenerObject;

export interface EventTargetLike {
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
  dispatchEvent(event: CustomEvent): boolean;
}

export interface RedisEventsOptions {
  url: string;
  /** Channel names are `<channelPrefix>:<event type>`. */
  channelPrefix: string;
  /** Longest wait for a publish. @default 1000 */
  timeoutMs?: number;
  /** A publish Redis did not take (the event was delivered locally instead). */
  onPublishFailure?: (err: unknown) => void;
}

export interface RedisEvents {
  target: EventTargetLike;
  /** Both connections are up. */
  reachable(): boolean;
  close(): Promise<void>;
}

const retryStrategy = (times: number) => Math.min(2 ** times * 100, 2_000) + Math.floor(Math.random() * 100);

const callbackOf = (listener: Listener) => ('handleEvent' in listener ? (e: Event) => listener.handleEvent(e) : listener);

/** Ends a connection politely within `ms`, else drops it. Never rejects. */
async function shut(client: Redis, ms: number): Promise<void> {
  if (client.status === 'end') return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const polite = client.quit().then(() => undefined, () => undefined);
  await Promise.race([polite, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
  client.disconnect();
}

export function createRedisEvents(options: RedisEventsOptions): RedisEvents {
  const { url, channelPrefix, timeoutMs = 1_000, onPublishFailure } = options;
  const publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: timeoutMs, connectTimeout: timeoutMs * 5, retryStrategy });
  // Subscribing may wait for the connection (nobody waits on it); ioredis resubscribes on reconnect.
  const subscriber = new Redis(url, { maxRetriesPerRequest: null, autoResubscribe: true, connectTimeout: timeoutMs * 5, retryStrategy });
  // Connection trouble is reported through failed calls; the events alone would be unhandled.
  publisher.on('error', () => {});
  subscriber.on('error', () => {});

  const channel = (type: string) => `${channelPrefix}:${type}`;
  const listeners = new Map<string, Map<Listener, (event: Event) => void>>();

  function deliver(ch: string, json: string): void {
    for (const callback of listeners.get(ch)?.values() ?? []) callback(new CustomEvent(ch, { detail: JSON.parse(json) }));
  }
  subscriber.on('message', (ch: string, message: string) => deliver(ch, message));

  return {
    target: {
      addEventListener(type, listener) {
        const ch = channel(type);
        let callbacks = listeners.get(ch);
        if (!callbacks) {
          listeners.set(ch, (callbacks = new Map()));
          subscriber.subscribe(ch).catch(() => {});
        }
        callbacks.set(listener, callbackOf(listener));
      },
      removeEventListener(type, listener) {
        const ch = channel(type);
        const callbacks = listeners.get(ch);
        if (!callbacks?.delete(listener) || callbacks.size > 0) return;
        listeners.delete(ch);
        if (subscriber.status === 'ready') subscriber.unsubscribe(ch).catch(() => {});
      },
      dispatchEvent(event) {
        const ch = channel(event.type);
        // Payloads cross Redis as JSON: plain data on every path, local or not.
        const json = JSON.stringify(event.detail ?? null);
        const hearsRedis = subscriber.status === 'ready';
        publisher.publish(ch, json).then(
          () => {
            if (!hearsRedis) deliver(ch, json);
          },
          (err: unknown) => {
            onPublishFailure?.(err);
            deliver(ch, json);
          },
        );
        return true;
      },
    },
    reachable: () => publisher.status === 'ready' && subscriber.status === 'ready',
    async close() {
      listeners.clear();
      await Promise.all([shut(publisher, timeoutMs), shut(subscriber, timeoutMs)]);
    },
  };
}
