/** Adds `extensions.freshness` to every result: the oldest, worst part of everything the operation read. */
import type { Plugin } from 'graphql-yoga';
import type { Clock } from '../../clock';
import type { GatewayContext } from '../../resolvers/context';
import { freshnessOf } from '../../sources/freshness';

export function useFreshnessExtension(clock: Clock): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const reads = (args.contextValue as GatewayContext).data?.reads;
          if (!reads?.length || Symbol.asyncIterator in result) return;
          const f = freshnessOf(reads, clock.now());
          setResult({
            ...result,
            extensions: {
              ...result.extensions,
              freshness: {
                state: f.state,
                origin: f.origin,
                fetchedAt: f.fetchedAt === null ? null : new Date(f.fetchedAt).toISOString(),
                ageSeconds: f.ageSeconds,
                refreshing: f.refreshing,
                message: f.message,
              },
            },
          });
        },
      };
    },
  };
}
