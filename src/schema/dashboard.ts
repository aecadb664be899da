/**
 * What every dashboard field does before its arithmetic: read each visible client's plan of
 * resources, split the workspaces that have data from those that do not (a `SourceError` each,
 * never a failed query), and work out freshness per row and for the whole dashboard.
 */
import type { DashboardKind } from '../sources/freshness';
import type { ClientRecord } from '../sources/registry/types';
import { readPlan, type Plan, type PlanValues } from '../sources/plan';
import type { EntryMeta } from '../sources/cache/types';
import type { SourceErrorInfo } from '../sources/errors';
import { freshnessOf, type Freshness } from '../sources/freshness';
import { checkRows, type InvalidRow } from '../resolvers/row-schemas';
import type { SourceObserver } from '../monitoring/events';
import type { z } from 'zod';
import type { GatewayContext } from './context';
import type { WarningShape } from './freshness';

export interface LoadedClient<P extends Plan> {
  client: ClientRecord;
  values: PlanValues<P>;
  metas: EntryMeta[];
}

export interface LoadedDashboard<P extends Plan> {
  loaded: LoadedClient<P>[];
  errors: SourceErrorInfo[];
  metas: EntryMeta[];
}

export async function loadDashboard<P extends Plan>(
  ctx: GatewayContext,
  kind: DashboardKind,
  planFor: (client: ClientRecord) => P,
  /** Clients this dashboard shows at all (e.g. volume leaves out clients without a sending target). */
  include: (client: ClientRecord) => boolean = () => true,
): Promise<LoadedDashboard<P>> {
  const clients = (await ctx.data.clients()).filter(include);
  const ttlMs = ctx.ttlMs(kind);
  const reads = await Promise.all(clients.map(async (client) => ({ client, read: await readPlan(ctx.data, planFor(client), ttlMs) })));
  const loaded: LoadedClient<P>[] = [];
  const errors: SourceErrorInfo[] = [];
  const metas: EntryMeta[] = [];
  for (const { client, read } of reads) {
    metas.push(...read.metas);
    if (read.values) loaded.push({ client, values: read.values, metas: read.metas });
    else if (read.error) errors.push({ ...read.error, workspaceId: client.workspaceId });
  }
  return { loaded, errors, metas };
}

/** Attaches each row's freshness (its workspace's parts, and WARNING when it has warnings). */
export function withRowFreshness<Row extends { workspaceId: number }>(
  rows: Row[],
  loaded: { client: ClientRecord; metas: EntryMeta[] }[],
  warnings: WarningShape[],
  now: number,
): (Row & { freshness: Freshness; warnings: WarningShape[] })[] {
  const metasByWorkspace = new Map(loaded.map((l) => [l.client.workspaceId, l.metas]));
  return rows.map((row) => {
    const own = warnings.filter((w) => w.workspaceId === row.workspaceId);
    return { ...row, warnings: own, freshness: freshnessOf(metasByWorkspace.get(row.workspaceId) ?? [], now, { warnings: own.length }) };
  });
}

/** Freshness of the whole dashboard: the oldest part of any row; ERROR when nothing could be served. */
export function dashboardFreshness(dashboard: LoadedDashboard<Plan>, warnings: readonly WarningShape[], now: number): Freshness {
  return freshnessOf(dashboard.metas, now, { warnings: warnings.length });
}

export interface ClientDashboard<Row, Totals> {
  clients: (Row & { freshness: Freshness; warnings: WarningShape[] })[];
  totals: Totals;
  warnings: WarningShape[];
  errors: SourceErrorInfo[];
  freshness: Freshness;
}

/**
 * How every per-client dashboard (KPI, volume, revenue) ends: rows that break an invariant are
 * dropped (`servedRows`), the warnings of the rows served are computed and recorded for
 * monitoring, and each row and the dashboard get their freshness.
 */
export function finishClientDashboard<Row extends { workspaceId: number; rank?: number }, Totals>(
  ctx: GatewayContext,
  kind: DashboardKind,
  dashboard: LoadedDashboard<Plan>,
  built: { clients: Row[]; totals: Totals },
  check: { rowSchema: z.ZodType; totalsOf: (rows: Row[]) => Totals },
  warningsOf: (served: { clients: Row[]; totals: Totals }) => WarningShape[],
): ClientDashboard<Row, Totals> {
  const served = servedRows(ctx, kind, built, check.rowSchema, check.totalsOf);
  const warnings = warningsOf(served);
  reportWarnings(ctx.services.observer, kind, warnings);
  return {
    clients: withRowFreshness(served.clients, dashboard.loaded, warnings, ctx.now),
    totals: served.totals,
    warnings,
    errors: [...dashboard.errors, ...served.errors],
    freshness: dashboardFreshness(dashboard, warnings, ctx.now),
  };
}

/**
 * Validation warnings (served data that looks wrong) are monitoring facts too: each is recorded in
 * data_validation_errors with severity `warning`, one row per (dashboard, workspace, rule, field)
 * whose `occurrences` counts how often a dashboard showed it.
 */
export function reportWarnings(observer: SourceObserver, kind: DashboardKind, warnings: readonly WarningShape[]): void {
  for (const w of warnings) {
    observer.validation({
      source: kind.toLowerCase(),
      workspaceId: w.workspaceId,
      errorType: w.rule,
      field: w.field,
      expected: null,
      actual: null,
      message: w.message,
      severity: 'warning',
    });
  }
}

/**
 * Rows that break an invariant (src/resolvers/row-schemas.ts) are NOT served: an impossible number
 * (a negative count, a reply rate above 100 %) shown as data misleads more than a gap. Each one is
 * recorded for monitoring as an `error` (data_validation_errors) and becomes a `SourceError` with
 * code `INVALID_ROW` for its workspace, so the dashboard says what is missing and why.
 */
export const INVALID_ROW = 'INVALID_ROW';

/** Reports each invalid row to monitoring and returns the `SourceError`s that stand in for them. */
export function invalidRowErrors<Row extends { workspaceId: number | null }>(
  observer: SourceObserver,
  source: string,
  invalid: readonly InvalidRow<Row>[],
  describe: (row: Row) => string = (row) => `workspace ${row.workspaceId}`,
): SourceErrorInfo[] {
  return invalid.map(({ row, issues }) => {
    const why = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    const first = issues[0]?.path || null;
    observer.validation({
      source,
      workspaceId: row.workspaceId,
      errorType: 'invalid_row',
      field: first,
      expected: null,
      actual: first ? String((row as Record<string, unknown>)[first.split('.')[0]]) : null,
      message: `${describe(row)} left out: ${why}`,
      details: { issues },
      severity: 'error',
    });
    return { workspaceId: row.workspaceId, code: INVALID_ROW, message: `${describe(row)} left out: ${why}`, retryable: false };
  });
}

/**
 * The one row check every client dashboard runs on its built rows: violating rows are dropped
 * (see `INVALID_ROW`); when any was, ranks are renumbered and totals recomputed from the rows
 * that remain, so the totals always add up to the rows shown.
 */
export function servedRows<Row extends { workspaceId: number; rank?: number }, Totals>(
  ctx: Pick<GatewayContext, 'services'>,
  kind: DashboardKind,
  built: { clients: Row[]; totals: Totals },
  schema: z.ZodType,
  totalsOf: (rows: Row[]) => Totals,
): { clients: Row[]; totals: Totals; errors: SourceErrorInfo[] } {
  const { valid, invalid } = checkRows(built.clients, schema);
  if (invalid.length === 0) return { ...built, errors: [] };
  const errors = invalidRowErrors(ctx.services.observer, kind.toLowerCase(), invalid);
  const clients = valid.map((row, i) => (row.rank === undefined ? row : { ...row, rank: i + 1 }));
  return { clients, totals: totalsOf(clients), errors };
}
