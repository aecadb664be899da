/**
 * `kpiStream`: the KPI rows in the order their workspaces answer, so `@stream` can show a cold
 * dashboard one client at a time instead of waiting for the slowest workspace. The rows are the
 * same as `kpi.clients` (same arithmetic, same row checks, own freshness and warnings) but not
 * sorted; totals, dashboard warnings and errors come from `kpi`, which a client asks for under
 * `@defer`. Both read through the request's loaders, so asking for both costs no extra calls:
 *
 *   query { kpiStream @stream(initialCount: 0) { workspaceId leadsGenerated freshness { state } }
 *           ... @defer { kpi { totals { leadsGenerated } errors { workspaceId message } } } }
 */
import { buildKpiRow, kpiTotals } from '../resolvers/kpi';
import { checkRows, kpiClientRowSchema } from '../resolvers/row-schemas';
import { kpiWarnings } from '../resolvers/warnings';
import { readPlan } from '../sources/plan';
import { builder } from './builder';
import type { GatewayContext } from './context';
import { withRowFreshness } from './dashboard';
import { KpiClient, kpiPlan } from './kpi';

async function* kpiRowsAsReady(ctx: GatewayContext) {
  const clients = await ctx.data.clients();
  const ttlMs = ctx.ttlMs('KPI');
  const pending = new Map(
    clients.map((client) => [
      client.workspaceId,
      readPlan(ctx.data, kpiPlan(client.workspaceId, ctx.calendar), ttlMs).then((read) => ({ client, read })),
    ]),
  );
  while (pending.size > 0) {
    const { client, read } = await Promise.race(pending.values());
    pending.delete(client.workspaceId);
    if (!read.values) continue; // `kpi.errors` says why
    const input = { client, stats: read.values };
    const row = buildKpiRow(input, ctx.calendar);
    if (checkRows([row], kpiClientRowSchema).invalid.length > 0) continue; // left out, as in `kpi`
    const warnings = kpiWarnings({ clients: [row], totals: kpiTotals([row]) }, [input], ctx.calendar);
    yield withRowFreshness([row], [{ client, metas: read.metas }], warnings, ctx.now)[0];
  }
}

builder.queryField('kpiStream', (t) =>
  t.field({
    type: [KpiClient],
    description: 'KPI rows as their workspaces answer (unsorted), for `@stream`; totals, warnings and errors: `kpi` (under `@defer`)',
    resolve: (_root, _args, ctx) => kpiRowsAsReady(ctx),
  }),
);
