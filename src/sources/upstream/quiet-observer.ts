/**
 * Observing must never fail a call: a monitoring bug (or a full buffer that throws) is swallowed
 * here rather than turning a good upstream answer into an error.
 */
import type { SourceObserver } from '../../monitoring/events';

export function quietObserver(observer: SourceObserver): SourceObserver {
  const quiet = <A extends unknown[]>(report: (...args: A) => void) =>
    function observeQuietly(...args: A): void {
      try {
        report.apply(observer, args);
      } catch {
        // Deliberately ignored: see above.
      }
    };
  return {
    attempt: quiet(observer.attempt),
    cacheState: quiet(observer.cacheState),
    validation: quiet(observer.validation),
    cacheRead: quiet(observer.cacheRead),
    breaker: quiet(observer.breaker),
  };
}
