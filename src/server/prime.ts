/**
 * After start, fill the cache for every active client's dashboards in the background, so the
 * first person to open a dashboard does not wait for Email Bison.
 */
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Logger } from '../monitoring/logger';
import { calendarFor } from '../resolvers/arithmetic/calendar';
import { dashboardResources } from '../resolvers/plans';
import type { DashboardKind } from '../sources/freshness';
import type { Services } from './services';

/** Revenue reads this month's stats and the mailboxes, which KPI and infrastructure prime already. */
const PRIMED: readonly DashboardKind[] = ['KPI', 'VOLUME', 'INFRASTRUCTURE'];

export async function primeResources(services: Services, config: Config, clock: Clock, logger: Logger): Promise<void> {
  try {
    const cal = calendarFor(clock.now(), config.timeZone);
    const clients = await services.registry.list({ activeOnly: true });
    const started = clock.now();
    const resources = PRIMED.flatMap((kind) => clients.flatMap((c) => dashboardResources(kind, c.workspaceId, cal)));
    const { fresh, failed } = await services.cache.prime(resources);
    logger.info({ fresh, failed, ms: clock.now() - started }, 'caches primed');
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'priming the caches failed');
  }
}
