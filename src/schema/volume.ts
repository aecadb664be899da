/** Volume dashboard: emails sent against each client's sending target, with pace and rank. */
import { buildVolumeDashboard, sendingTargets, volumeTotals, type VolumeClientRow, type VolumeTotals } from '../resolvers/volume';
import { volumeClientRowSchema } from '../resolvers/row-schemas';
import { volumeWarnings } from '../resolvers/warnings';
import type { Calendar } from '../resolvers/calendar';
import type { Freshness } from '../sources/freshness';
import type { SourceErrorInfo } from '../sources/errors';
import { builder } from './builder';
import type { GatewayContext } from './context';
import { expose } from './expose';
import { statsPlan } from './plans';
import { FreshnessRef, SourceErrorRef, ValidationWarningRef, type WarningShape } from './freshness';
import { finishClientDashboard, loadDashboard } from './dashboard';

const VolumePace = builder.enumType('VolumePace', {
  values: ['ON_PACE', 'NEAR_TARGET', 'BEHIND'] as const,
  description: 'ON_PACE: projected >= 100 % of the monthly target; NEAR_TARGET: >= 80 %; else BEHIND',
});

type VolumeRow = VolumeClientRow & { freshness: Freshness; warnings: WarningShape[] };
interface VolumeShape { clients: VolumeRow[]; totals: VolumeTotals; freshness: Freshness; warnings: WarningShape[]; errors: SourceErrorInfo[] }

export const VolumeClient = builder.objectRef<VolumeRow>('VolumeClient').implement({
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId'),
    name: t.exposeString('name'),
    ...expose(t, {
      emailsSent: ['Int', 'Emails sent this month so far'],
      emailsToday: ['Int', 'Emails sent today'],
      emailsScheduledToday: ['Int', 'Sum of emails_being_sent of today\'s sending schedules'],
      emailsScheduledTomorrow: ['Int', 'Sum of emails_being_sent of tomorrow\'s sending schedules'],
      emailsLast7Days: ['Int'],
      emailsLast14Days: ['Int'],
      emailsLast30Days: ['Int'],
      monthlyTarget: ['Int', 'Emails per month'],
      dailyTarget: ['Int', 'Emails per day'],
      expectedByNow: ['Float', 'monthlyTarget / daysInMonth * daysElapsed'],
      isOnTrack: ['Boolean', 'emailsSent >= expectedByNow'],
      projection: ['Int', 'round(emailsSent / daysElapsed * daysInMonth)'],
      targetPercentage: ['Float', 'emailsSent as a percent of monthlyTarget'],
      projectedPercentage: ['Float', 'projection as a percent of monthlyTarget'],
      rank: ['Int', '1 = first: senders before non-senders, ON_PACE best first, then the neediest'],
    }),
    pace: t.field({ type: VolumePace, resolve: (r) => r.pace }),
    freshness: t.field({ type: FreshnessRef, resolve: (r) => r.freshness }),
    warnings: t.field({ type: [ValidationWarningRef], resolve: (r) => r.warnings }),
  }),
});

const VolumeTotalsRef = builder.objectRef<VolumeTotals>('VolumeTotals').implement({
  fields: (t) =>
    expose(t, {
      clients: ['Int'],
      emailsSent: ['Int'],
      emailsToday: ['Int'],
      emailsScheduledToday: ['Int'],
      emailsScheduledTomorrow: ['Int'],
      monthlyTarget: ['Int'],
      dailyTarget: ['Int'],
      expectedByNow: ['Float'],
      projection: ['Int'],
      targetPercentage: ['Float'],
      projectedPercentage: ['Float'],
      clientsOnPace: ['Int'],
      clientsNearTarget: ['Int'],
      clientsBehind: ['Int'],
      clientsNotSending: ['Int'],
    }),
});

export const VolumeDashboard = builder.objectRef<VolumeShape>('VolumeDashboard').implement({
  fields: (t) => ({
    clients: t.field({ type: [VolumeClient], description: 'In rank order', resolve: (d) => d.clients }),
    totals: t.field({ type: VolumeTotalsRef, resolve: (d) => d.totals }),
    freshness: t.field({ type: FreshnessRef, resolve: (d) => d.freshness }),
    warnings: t.field({ type: [ValidationWarningRef], resolve: (d) => d.warnings }),
    errors: t.field({ type: [SourceErrorRef], resolve: (d) => d.errors }),
  }),
});

export const volumePlan = (workspaceId: number, cal: Calendar) => ({
  ...statsPlan(workspaceId, cal, ['mtd', 'today', 'last7', 'last14', 'last30'] as const),
  schedulesToday: { kind: 'sending-schedules', workspaceId, day: 'today' } as const,
  schedulesTomorrow: { kind: 'sending-schedules', workspaceId, day: 'tomorrow' } as const,
});

/** The volume dashboard as of `ctx`: the `volume` query, and `volumeUpdated` after each refresh. */
export async function volumeDashboard(ctx: GatewayContext): Promise<VolumeShape> {
  const cal = ctx.calendar;
  const dashboard = await loadDashboard(
    ctx,
    'VOLUME',
    (client) => volumePlan(client.workspaceId, cal),
    (client) => sendingTargets(client, cal.daysInMonth).monthly > 0,
  );
  const inputs = dashboard.loaded.map(({ client, values: v }) => ({
    client,
    stats: { mtd: v.mtd, today: v.today, last7: v.last7, last14: v.last14, last30: v.last30 },
    schedules: { today: v.schedulesToday, tomorrow: v.schedulesTomorrow },
  }));
  return finishClientDashboard(
    ctx, 'VOLUME', dashboard, buildVolumeDashboard(inputs, cal),
    { rowSchema: volumeClientRowSchema, totalsOf: volumeTotals },
    (served) => volumeWarnings(served, inputs, cal),
  );
}

builder.queryField('volume', (t) => t.field({ type: VolumeDashboard, resolve: (_root, _args, ctx) => volumeDashboard(ctx) }));
