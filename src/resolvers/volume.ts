/** The volume dashboard: emails sent against each client's sending target, with pace and rank. */
import { buildVolumeDashboard, sendingTargets, volumeTotals, type VolumeClientRow, type VolumeTotals } from './arithmetic/volume';
import { volumeClientRowSchema } from './arithmetic/row-schemas';
import { volumeWarnings } from './arithmetic/warnings';
import type { GatewayContext } from './context';
import { finishClientDashboard, loadDashboard, type ClientDashboard } from './pipeline';
import { volumePlan } from './plans';

export type VolumeDashboard = ClientDashboard<VolumeClientRow, VolumeTotals>;

/** The volume dashboard as of `ctx`; clients without a sending target are left out. */
export async function volumeDashboard(ctx: GatewayContext): Promise<VolumeDashboard> {
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
    ctx, dashboard, buildVolumeDashboard(inputs, cal),
    { rowSchema: volumeClientRowSchema, totalsOf: volumeTotals },
    (served) => volumeWarnings(served, inputs, cal),
  );
}
