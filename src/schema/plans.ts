/** Plans: which upstream resources a dashboard row needs (read by src/sources/plan.ts). */
import type { Calendar, CalendarWindows } from '../resolvers/calendar';
import type { Resource } from '../sources/resources';

type StatsResource = Extract<Resource, { kind: 'stats' }>;

/** Stats resources for the named calendar windows of one workspace. */
export function statsPlan<const W extends readonly (keyof CalendarWindows)[]>(
  workspaceId: number,
  cal: Calendar,
  windows: W,
): { [K in W[number]]: StatsResource } {
  const plan = {} as Record<string, StatsResource>;
  for (const w of windows) plan[w] = { kind: 'stats', workspaceId, start: cal.windows[w].start, end: cal.windows[w].end };
  return plan as { [K in W[number]]: StatsResource };
}
