/**
 * The row check the client dashboards (KPI, volume, revenue) run on built rows, at the level of the
 * helper: no upstream path can build an impossible volume row (payload schemas refuse negative
 * counts first), so the row is made by hand. A violating row is dropped as an INVALID_ROW error,
 * recorded as a validation error, and the remaining rows are re-ranked with totals recomputed.
 */
import { describe, expect, it } from 'vitest';
import { servedRows } from '../../src/resolvers/row-checks';
import { volumeClientRowSchema } from '../../src/resolvers/arithmetic/row-schemas';
import { volumeTotals, type VolumeClientRow } from '../../src/resolvers/arithmetic/volume';
import type { ValidationIssue } from '../../src/monitoring/events';
import { nullObserver } from '../../src/monitoring/events';

function row(workspaceId: number, rank: number, emailsSent: number): VolumeClientRow {
  return {
    workspaceId, name: `Client ${workspaceId}`, emailsSent, emailsToday: 100, emailsScheduledToday: 120, emailsScheduledTomorrow: 130,
    emailsLast7Days: 700, emailsLast14Days: 1400, emailsLast30Days: 3000, monthlyTarget: 22_750, dailyTarget: 875,
    expectedByNow: 15_166.67, isOnTrack: false, projection: Math.round((emailsSent / 20) * 30),
    targetPercentage: (emailsSent / 22_750) * 100, projectedPercentage: (Math.round((emailsSent / 20) * 30) / 22_750) * 100,
    pace: 'BEHIND', rank,
  };
}

describe('servedRows: the row check of every client dashboard', () => {
  const recorded: ValidationIssue[] = [];
  const ctx = { services: { observer: { ...nullObserver, validation: (v: ValidationIssue) => recorded.push(v) } } } as never;

  it('serves valid rows untouched and records nothing', () => {
    const rows = [row(3, 1, 9000), row(12, 2, 10_000)];
    const built = { clients: rows, totals: volumeTotals(rows) };
    const served = servedRows(ctx, 'VOLUME', built, volumeClientRowSchema, volumeTotals);
    expect(served).toEqual({ ...built, errors: [] });
    expect(recorded).toEqual([]);
  });

  it('drops an impossible row, records it, re-ranks and recomputes the totals from what is served', () => {
    const impossible = { ...row(12, 2, 10_000), emailsToday: -5 };
    const rows = [row(3, 1, 9000), impossible, row(22, 3, 12_000)];
    const served = servedRows(ctx, 'VOLUME', { clients: rows, totals: volumeTotals(rows) }, volumeClientRowSchema, volumeTotals);
    expect(served.clients.map((r) => [r.workspaceId, r.rank])).toEqual([[3, 1], [22, 2]]);
    expect(served.totals).toEqual(volumeTotals([row(3, 1, 9000), row(22, 2, 12_000)]));
    expect(served.totals.emailsSent).toBe(21_000);
    expect(served.errors).toEqual([{ workspaceId: 12, code: 'INVALID_ROW', message: expect.stringContaining('emailsToday'), retryable: false }]);
    expect(recorded).toEqual([expect.objectContaining({
      source: 'volume', workspaceId: 12, errorType: 'invalid_row', field: 'emailsToday', actual: '-5', severity: 'error',
    })]);
  });
});
