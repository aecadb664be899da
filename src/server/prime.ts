/**
 * After start, fill the cache for every active client's dashboards in the background, so the
 * first person to open a dashboard does not wait for Email Bison. One dashboard after the other,
 * KPI first: together they would share the upstream pool and the per-key budgets evenly, and the
 * KPI dashboard would wait for hundreds of mailbox pages.
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
    const results = [];
    for (const kind of KINDS) {
      const resources = clients.flatMap((c) => dashboardResources(kind, c.workspaceId, cal));
      results.push(await services.cache.prime(resources, config.ttlSeconds[kind] * 1000));
    }
    const fresh = results.reduce((n, r) => n + r.fresh, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    logger.info({ fresh, failed, ms: clock.now() - started }, 'caches primed');
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'priming the caches failed');
  }
}
