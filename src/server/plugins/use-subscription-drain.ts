/**
 * Lets the gateway end every open subscription on shutdown with a proper close: each stream simply
 * completes, so an SSE client gets `event: complete` and the end of the response, and a graphql-ws
 * client gets `complete` for each operation (before ws.ts closes its socket with 1001). Once
 * draining, a new subscription is refused with SHUTTING_DOWN instead of being started.
 */
import { GraphQLError } from 'graphql';
import { Repeater, type Plugin } from 'graphql-yoga';

export interface SubscriptionDrain {
  plugin: Plugin;
  /** Subscriptions running now. */
  open(): number;
  /** Completes every open subscription and refuses new ones. */
  endAll(): void;
}

export function createSubscriptionDrain(): SubscriptionDrain {
  const running = new Set<() => void>();
  let draining = false;

  /** `source` as a stream this module can complete from outside. */
  function endable<T>(source: AsyncIterable<T>): Repeater<T> {
    return new Repeater<T>(async (push, stop) => {
      const iterator = source[Symbol.asyncIterator]();
      const end = () => stop();
      running.add(end);
      // Stopping (the client left, or the drain) ends the source too, so it lets go of its listeners.
      void stop.then(() => iterator.return?.());
      try {
        for (;;) {
          const next = await Promise.race([iterator.next(), stop.then(() => null)]);
          if (!next || next.done) break;
          await push(next.value);
        }
        stop();
      } catch (err) {
        stop(err);
      } finally {
        running.delete(end);
      }
    });
  }

  return {
    plugin: {
      onSubscribe({ setResultAndStopExecution }) {
        if (draining) {
          setResultAndStopExecution({
            errors: [new GraphQLError('The gateway is shutting down; subscribe again to reach another replica', { extensions: { code: 'SHUTTING_DOWN' } })],
          });
          return;
        }
        return {
          onSubscribeResult({ result, setResult }) {
            if (Symbol.asyncIterator in result) setResult(endable(result));
          },
        };
      },
    },
    open: () => running.size,
    endAll() {
      draining = true;
      for (const end of [...running]) end();
    },
  };
}
