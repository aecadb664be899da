/**
 * After start, fill the cache for every active client's dashboards in the background, so the
 * first person to open a dashboard does not wait for Email Bison. One dashboard after the other,
 * KPI first: together they would share the upstream pool and the per-key budgets evenly, and the
 * KPI dashboard would wait for hundreds of mailbox pages.
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

/** `stopping` says the gateway is shutting down: priming stops, and says so rather than "primed". */
export async function primeResources(services: Services, config: Config, clock: Clock, logger: Logger, stopping: () => boolean = () => false): Promise<void> {
  try {
    const cal = calendarFor(clock.now(), config.timeZone);
    const clients = await services.registry.list({ activeOnly: true });
    const started = clock.now();
    let fresh = 0;
    let failed = 0;
    for (const kind of PRIMED) {
      if (stopping()) break;
      const primed = await services.cache.prime(clients.flatMap((c) => dashboardResources(kind, c.workspaceId, cal)));
      fresh += primed.fresh;
      failed += primed.failed;
    }
    const outcome = stopping() ? 'priming stopped by the shutdown (the calls still queued were cancelled, counted in "failed")' : 'caches primed';
    logger.info({ fresh, failed, ms: clock.now() - started }, outcome);
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'priming the caches failed');
  }
}
