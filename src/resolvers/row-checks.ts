/**
 * The check and warn steps of the pipeline: rows that break an invariant are dropped, recorded
 * and stand as INVALID_ROW errors; the warnings of the rows served are recorded for monitoring.
 */
import type { SourceObserver } from '../monitoring/events';
import type { SourceErrorInfo } from '../sources/errors';
import type { DashboardKind } from '../sources/freshness';
import type { z } from 'zod';
import { checkRows, type InvalidRow } from './arithmetic/row-schemas';
import type { ValidationWarning } from './arithmetic/warnings';
import type { GatewayContext } from './context';

/**
 * Validation warnings (served data that looks wrong) are monitoring facts too: each is recorded in
 * data_validation_errors with severity `warning`, one row per (dashboard, workspace, rule, field)
 * whose `occurrences` counts how often a dashboard showed it.
 */
export function reportWarnings(observer: SourceObserver, kind: DashboardKind, warnings: readonly ValidationWarning[]): void {
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
 * Rows that break an invariant (arithmetic/row-schemas.ts) are NOT served: an impossible number
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
