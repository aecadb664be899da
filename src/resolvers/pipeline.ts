/**
 * The one pipeline every dashboard runs: load -> build -> check -> warn -> freshness.
 *
 * - load: read each visible client's plan of resources through the request's loaders; a workspace
 *   without data is left out with a `SourceError` (never a failed query), and so is one still
 *   loading when the request's deadline passes (its fetch goes on and lands in the cache);
 * - build: the dashboard's pure arithmetic (src/resolvers/arithmetic), called by its resolver;
 * - check: rows that break an invariant are dropped as INVALID_ROW and recorded;
 * - warn: validation warnings of the rows served, recorded for monitoring;
 * - freshness: per row and for the dashboard, by the freshness policy, against its TTL.
 */
import type { z } from 'zod';
import { isAdmin } from '../access';
import type { EntryMeta } from '../sources/cache/types';
import type { SourceErrorInfo } from '../sources/errors';
import type { DashboardKind, Freshness } from '../sources/freshness';
import type { ClientRecord } from '../sources/registry/types';
import type { ValueOf } from '../sources/resources';
import type { ValidationWarning } from './arithmetic/warnings';
import type { GatewayContext, RequestData } from './context';
import type { Plan } from './plans';
import { reportWarnings, servedRows } from './row-checks';

export type PlanValues<P extends Plan> = { [K in keyof P]: ValueOf<P[K]> };

export interface PlanRead<P extends Plan> {
  /** null when any part has no usable value. */
  values: PlanValues<P> | null;
  metas: EntryMeta[];
  error: SourceErrorInfo | null;
}

/** Reads every part of a plan concurrently: the values under the plan's names, and every part's metadata. */
export async function readPlan<P extends Plan>(data: RequestData, plan: P, dashboard: DashboardKind): Promise<PlanRead<P>> {
  const names = Object.keys(plan) as (keyof P & string)[];
  const reads = await Promise.all(names.map((name) => data.read(plan[name], dashboard)));
  // One pass, no intermediate arrays: a warm dashboard reads ~26 plans per request.
  const metas: EntryMeta[] = new Array(reads.length);
  const values = {} as Record<string, unknown>;
  let missing = -1;
  for (let i = 0; i < reads.length; i++) {
    metas[i] = reads[i].meta;
    values[names[i]] = reads[i].value;
    if (missing < 0 && reads[i].value === null) missing = i;
  }
  if (missing < 0) return { values: values as PlanValues<P>, metas, error: null };
  const meta = reads[missing].meta;
  const error = meta.error ?? { workspaceId: meta.workspaceId, code: 'NO_DATA', message: `no data for ${names[missing]}`, retryable: true };
  return { values: null, metas, error };
}

export interface LoadedClient<P extends Plan> {
  client: ClientRecord;
  values: PlanValues<P>;
  metas: EntryMeta[];
}

export interface LoadedDashboard<P extends Plan> {
  kind: DashboardKind;
  loaded: LoadedClient<P>[];
  errors: SourceErrorInfo[];
  metas: EntryMeta[];
  /** Why the dashboard has no rows at all, when it has no clients to show. */
  empty: string | null;
}

/** The error of a workspace still loading when the request's deadline passed. */
export function deadlineError(workspaceId: number, deadlineMs: number): SourceErrorInfo {
  return {
    workspaceId,
    code: 'TIMEOUT',
    message: `workspace ${workspaceId} was still loading after the ${deadlineMs} ms request deadline; its data lands in the cache for the next read`,
    retryable: true,
  };
}

/**
 * Settles each promise, or gives `late` for those still pending when `ms` have passed. One timer
 * for the lot, cleared as soon as everything settled (a warm read never waits for it).
 */
export async function settleWithin<T, L>(promises: readonly Promise<T>[], ms: number, late: (index: number) => L): Promise<(T | L)[]> {
  const results: (T | L)[] = new Array(promises.length);
  const settled = new Array<boolean>(promises.length).fill(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms));
  });
  const all = Promise.all(promises.map((p, i) => p.then((value) => {
    settled[i] = true;
    results[i] = value;
  })));
  try {
    await Promise.race([all, expired]);
  } finally {
    clearTimeout(timer);
  }
  for (let i = 0; i < promises.length; i++) if (!settled[i]) results[i] = late(i);
  return results;
}

export async function loadDashboard<P extends Plan>(
  ctx: GatewayContext,
  kind: DashboardKind,
  planFor: (client: ClientRecord) => P,
  /** Clients this dashboard shows at all (e.g. volume leaves out clients without a sending target). */
  include: (client: ClientRecord) => boolean = () => true,
): Promise<LoadedDashboard<P>> {
  const visible = await ctx.data.clients();
  const clients = visible.filter(include);
  const deadlineMs = ctx.services.config.requestDeadlineMs;
  const reads = await settleWithin(
    clients.map((client) => readPlan(ctx.data, planFor(client), kind)),
    ctx.deadline - performance.now(),
    (i) => {
      ctx.data.markPartial();
      return { values: null, metas: [], error: deadlineError(clients[i].workspaceId, deadlineMs) } as PlanRead<P>;
    },
  );
  const loaded: LoadedClient<P>[] = [];
  const errors: SourceErrorInfo[] = [];
  const metas: EntryMeta[] = [];
  reads.forEach((read, i) => {
    const client = clients[i];
    metas.push(...read.metas);
    if (read.values) loaded.push({ client, values: read.values, metas: read.metas });
    else if (read.error) errors.push({ ...read.error, workspaceId: client.workspaceId });
  });
  return { kind, loaded, errors, metas, empty: clients.length > 0 ? null : emptyReason(ctx, kind, visible.length) };
}

/** Why a dashboard shows nobody: no clients at all, or none this dashboard includes. */
function emptyReason(ctx: GatewayContext, kind: DashboardKind, visible: number): string {
  if (visible > 0) return kind === 'VOLUME' ? 'no client has a sending target: set monthlySendingTarget or dailySendingTarget with upsertClient' : 'no client to show';
  if (!isAdmin(ctx.principal)) return `no active client: workspace ${ctx.principal.workspaceId} is not an active client`;
  return 'no active clients: no workspace is registered as an active client yet (see the `workspaces` query and `upsertClient`)';
}

/** A row as served: with its own freshness and warnings. */
export type Served<Row> = Row & { freshness: Freshness; warnings: ValidationWarning[] };

/** Attaches each row's freshness (its workspace's parts, and WARNING when it has warnings). */
export function withRowFreshness<Row extends { workspaceId: number }>(
  ctx: GatewayContext,
  kind: DashboardKind,
  rows: readonly Row[],
  loaded: readonly { client: ClientRecord; metas: EntryMeta[] }[],
  warnings: readonly ValidationWarning[],
): Served<Row>[] {
  const metasByWorkspace = new Map(loaded.map((l) => [l.client.workspaceId, l.metas]));
  const { freshness } = ctx.services;
  return rows.map((row) => {
    const own = warnings.filter((w) => w.workspaceId === row.workspaceId);
    const parts = freshness.partsOf(kind, metasByWorkspace.get(row.workspaceId) ?? []);
    return { ...row, warnings: own, freshness: ctx.data.judge(parts, { warnings: own }) };
  });
}

/** Freshness of the whole dashboard: the oldest part of any row; ERROR when nothing could be served. */
export function dashboardFreshness(ctx: GatewayContext, dashboard: LoadedDashboard<Plan>, warnings: readonly ValidationWarning[]): Freshness {
  const freshness = ctx.data.judge(ctx.services.freshness.partsOf(dashboard.kind, dashboard.metas), { warnings });
  return dashboard.empty ? { ...freshness, message: dashboard.empty } : freshness;
}

export interface ClientDashboard<Row, Totals> {
  clients: Served<Row>[];
  totals: Totals;
  warnings: ValidationWarning[];
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
  dashboard: LoadedDashboard<Plan>,
  built: { clients: Row[]; totals: Totals },
  check: { rowSchema: z.ZodType; totalsOf: (rows: Row[]) => Totals },
  warningsOf: (served: { clients: Row[]; totals: Totals }) => ValidationWarning[],
): ClientDashboard<Row, Totals> {
  const served = servedRows(ctx, dashboard.kind, built, check.rowSchema, check.totalsOf);
  const warnings = warningsOf(served);
  reportWarnings(ctx.services.observer, dashboard.kind, warnings);
  return {
    clients: withRowFreshness(ctx, dashboard.kind, served.clients, dashboard.loaded, warnings),
    totals: served.totals,
    warnings,
    errors: [...dashboard.errors, ...served.errors],
    freshness: dashboardFreshness(ctx, dashboard, warnings),
  };
}
