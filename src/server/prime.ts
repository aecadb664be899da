/**
 * After start, fill the cache for every active client's dashboards in the background, so the
 * first person to open a dashboard does not wait for Email Bison.
 */
import type { Config } from '../config';
import type { Clock } from '../clock';
import type { Logger } from '../monitoring/logger';
import { calendarFor } from '../resolvers/calendar';
import { dashboardResources } from '../schema/cache';
import type { Services } from './services';

const KINDS = ['KPI', 'VOLUME', 'INFRASTRUCTURE'] as const;

export async function primeResources(services: Services, config: Config, clock: Clock, logger: Logger): Promise<void> {
  try {
    const cal = calendarFor(clock.now(), config.timeZone);
    const clients = await services.registry.list({ activeOnly: true });
    const started = clock.now();
    const results = await Promise.all(
      KINDS.map((kind) => {
        const resources = clients.flatMap((c) => dashboardResources(kind, c.workspaceId, cal));
        return services.cache.prime(resources, config.ttlSeconds[kind] * 1000);
      }),
    );
    const fresh = results.reduce((n, r) => n + r.fresh, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    logger.info({ fresh, failed, ms: clock.now() - started }, 'caches primed');
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'priming the caches failed');
  }
}
