/** Fan-out of source observations to several observers (recorder, metrics, ...). */
import type { SourceObserver } from './events';

/**
 * One observer that forwards every call to each of `observers`. An observer that throws is
 * skipped for that call: it affects neither the others nor the caller (a request).
 */
export function combineObservers(...observers: SourceObserver[]): SourceObserver {
  const each = <K extends keyof SourceObserver>(method: K) =>
    ((...args: Parameters<SourceObserver[K]>) => {
      for (const o of observers) {
        try {
          (o[method] as (...a: Parameters<SourceObserver[K]>) => void)(...args);
        } catch {
          // Observing must never fail a request; the failing observer logs its own errors.
        }
      }
    }) as SourceObserver[K];
  return {
    attempt: each('attempt'),
    cacheState: each('cacheState'),
    validation: each('validation'),
    cacheRead: each('cacheRead'),
    breaker: each('breaker'),
  };
}
