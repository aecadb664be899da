/** Wraps a request's data access so every read's freshness is remembered for the response. */
import type { RequestData } from '../schema/context';
import type { EntryMeta } from '../sources/cache/types';

export function trackReads(data: Omit<RequestData, 'reads'>): RequestData {
  const reads: EntryMeta[] = [];
  return {
    reads,
    clients: data.clients,
    read(resource, ttlMs) {
      return data.read(resource, ttlMs).then((result) => {
        reads.push(result.meta);
        return result;
      });
    },
  };
}
