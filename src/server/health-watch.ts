/** Publishes the health score whenever it (or its status) changes, for `healthChanged` subscribers. */
import type { HealthReport } from '../monitoring/health';
import type { Logger } from '../monitoring/logger';
import type { HealthPayload } from './events';

export function watchHealth(
  read: () => Promise<HealthReport>,
  publish: (payload: HealthPayload) => void,
  logger: Logger,
  intervalMs = 10_000,
): { start(): void; stop(): void; check(): Promise<void> } {
  let last: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  async function check() {
    try {
      const report = await read();
      const now = `${Math.round(report.score)}:${report.status}`;
      if (now !== last) {
        last = now;
        publish({ score: Math.round(report.score), status: report.status });
      }
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'health check failed');
    }
  }
  return {
    start() {
      if (timer) return;
      timer = setInterval(() => void check(), intervalMs);
      timer.unref();
      void check();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    check,
  };
}
