/**
 * The KPI dashboard: interested leads against each client's monthly target (`kpi`, `kpiUpdated`),
 * and its rows as each workspace answers (`kpiStream`, for `@stream`).
 */
import { buildKpiDashboard, buildKpiRow, kpiTotals, type KpiClientRow, type KpiTotals } from './arithmetic/kpi';
import { checkRows, kpiClientRowSchema } from './arithmetic/row-schemas';
import { kpiWarnings } from './arithmetic/warnings';
import type { GatewayContext } from './context';
import { finishClientDashboard, loadDashboard, readPlan, withRowFreshness, type ClientDashboard, type Served } from './pipeline';
import { kpiPlan } from './plans';

export type KpiDashboard = ClientDashboard<KpiClientRow, KpiTotals>;
export type KpiRow = Served<KpiClientRow>;

/** The KPI dashboard as of `ctx`. */
export async function kpiDashboard(ctx: GatewayContext): Promise<KpiDashboard> {
  const dashboard = await loadDashboard(ctx, 'KPI', (client) => kpiPlan(client.workspaceId, ctx.calendar));
  const inputs = dashboard.loaded.map((l) => ({ client: l.client, stats: l.values }));
  return finishClientDashboard(
    ctx, dashboard, buildKpiDashboard(inputs, ctx.calendar),
    { rowSchema: kpiClientRowSchema, totalsOf: kpiTotals },
    (served) => kpiWarnings(served, inputs, ctx.calendar),
  );
}

/**
 * The KPI rows in the order their workspaces answer, so `@stream` can show a cold dashboard one
 * client at a time instead of waiting for the slowest workspace. The same rows as `kpi.clients`
 * (same arithmetic, row checks, freshness and warnings) but unsorted; totals, dashboard warnings
 * and errors come from `kpi` (under `@defer`). Both read through the request's loaders, so asking
 * for both costs no extra calls. The stream ends at the request's deadline.
 */
export async function* kpiRowsAsReady(ctx: GatewayContext): AsyncGenerator<KpiRow> {
  const clients = await ctx.data.clients();
  const pending = new Map(
    clients.map((client) => [
      client.workspaceId,
      readPlan(ctx.data, kpiPlan(client.workspaceId, ctx.calendar), 'KPI').then((read) => ({ client, read })),
    ]),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), Math.max(0, ctx.deadline - performance.now()));
  });
  try {
    while (pending.size > 0) {
      const next = await Promise.race([...pending.values(), deadline]);
      if (next === null) {
        ctx.data.markPartial();
        return; // `kpi.errors` names the workspaces still loading
      }
      const { client, read } = next;
      pending.delete(client.workspaceId);
      if (!read.values) continue; // `kpi.errors` says why
      const input = { client, stats: read.values };
      const row = buildKpiRow(input, ctx.calendar);
      if (checkRows([row], kpiClientRowSchema).invalid.length > 0) continue; // left out, as in `kpi`
      const warnings = kpiWarnings({ clients: [row], totals: kpiTotals([row]) }, [input], ctx.calendar);
      yield withRowFreshness(ctx, 'KPI', [row], [{ client, metas: read.metas }], warnings)[0];
    }
  } finally {
    clearTimeout(timer);
  }
}
