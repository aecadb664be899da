/**
 * The simulated instance's ground truth. Tests read it to hand-compute what dashboards should show,
 * independently of the gateway's code; the HTTP layer serves nothing that does not come from here.
 * Mailboxes and campaigns are generated lazily per workspace, ledger days on every read.
 */
import type { Clock } from '../../clock';
import { DAY_MS, dayFraction, eachDate, isoDate, parseIsoDate } from '../dates';
import { addDay, emptyDay, generatedDay, type DayCounts } from './ledger';
import { generateMailboxes, type SimMailbox } from './mailboxes';
import { generateCampaigns, schedulesFor, SCHEDULE_OFFSETS, type ScheduleDay, type SimCampaign, type SimSchedule } from './campaigns';
import { generateWorkspaces, type SimWorkspace, type WorkspaceProfile } from './workspaces';

export type { DayCounts, SimMailbox, SimCampaign, SimSchedule, ScheduleDay, SimWorkspace, WorkspaceProfile };
export { statsFromCounts, chartFromDays, type SimStats, type ChartSeries } from './stats';

export interface WorldOptions {
  seed: string;
  workspaces: number;
  mailboxes: number;
  clock: Clock;
}

export interface World {
  readonly seed: string;
  readonly workspaces: readonly SimWorkspace[];
  workspace(id: number): SimWorkspace | undefined;
  profile(id: number): WorkspaceProfile;
  /** Today's UTC date per the clock. */
  today(): string;
  /**
   * One day's counts. Today holds only the elapsed part of the day (it grows as the clock moves),
   * future days are zero, and webhook events recorded for a day are added on top.
   */
  day(workspaceId: number, date: string): DayCounts;
  /** Sum of `day` over start..end, both included. */
  window(workspaceId: number, start: string, end: string): DayCounts;
  /** The live mailbox records (webhooks mutate them). */
  mailboxes(workspaceId: number): SimMailbox[];
  campaigns(workspaceId: number): SimCampaign[];
  schedules(workspaceId: number, day: ScheduleDay): SimSchedule[];
  /** Adds events to a day (what a webhook does to the ledger). */
  record(workspaceId: number, date: string, delta: Partial<DayCounts>): void;
  /** Forgets recorded events and mailbox changes. */
  reset(): void;
}

export function createWorld(opts: WorldOptions): World {
  const { seed, clock } = opts;
  const createdAt = clock.now();
  const drafts = generateWorkspaces(seed, opts.workspaces, opts.mailboxes, createdAt);
  const workspaces = drafts.map((d) => d.workspace);
  const byId = new Map(drafts.map((d, i) => [d.workspace.id, { ...d, index: i }]));
  const firstMailboxId: number[] = [];
  drafts.reduce((next, d) => (firstMailboxId.push(next), next + d.profile.mailboxCount), 1001);
  let mailboxCache = new Map<number, SimMailbox[]>();
  const campaignCache = new Map<number, SimCampaign[]>();
  let recorded = new Map<string, DayCounts>();

  function entry(id: number) {
    const e = byId.get(id);
    if (!e) throw new Error(`simulator world: no workspace ${id} (known: ${[...byId.keys()].join(', ')})`);
    return e;
  }

  function day(workspaceId: number, date: string): DayCounts {
    const { profile } = entry(workspaceId);
    const dayMs = parseIsoDate(date);
    if (dayMs === null) throw new Error(`simulator world: "${date}" is not a YYYY-MM-DD date`);
    const now = clock.now();
    const todayMs = Math.floor(now / DAY_MS) * DAY_MS;
    const base = dayMs > todayMs ? emptyDay() : generatedDay(seed, workspaceId, profile, dayMs, dayMs === todayMs ? dayFraction(now) : 1);
    const extra = recorded.get(`${workspaceId}|${date}`);
    return extra ? addDay(base, extra) : base;
  }

  return {
    seed,
    workspaces,
    workspace: (id) => byId.get(id)?.workspace,
    profile: (id) => entry(id).profile,
    today: () => isoDate(clock.now()),
    day,
    window(workspaceId, start, end) {
      const sum = emptyDay();
      for (const date of eachDate(start, end)) addDay(sum, day(workspaceId, date));
      return sum;
    },
    mailboxes(workspaceId) {
      let list = mailboxCache.get(workspaceId);
      if (!list) {
        const e = entry(workspaceId);
        list = generateMailboxes(seed, e.workspace, e.profile, firstMailboxId[e.index], createdAt);
        mailboxCache.set(workspaceId, list);
      }
      return list;
    },
    campaigns(workspaceId) {
      let list = campaignCache.get(workspaceId);
      if (!list) {
        const e = entry(workspaceId);
        list = generateCampaigns(seed, e.workspace, e.profile);
        campaignCache.set(workspaceId, list);
      }
      return list;
    },
    schedules(workspaceId, which) {
      const todayMs = Math.floor(clock.now() / DAY_MS) * DAY_MS;
      return schedulesFor(seed, this.campaigns(workspaceId), todayMs + SCHEDULE_OFFSETS[which] * DAY_MS);
    },
    record(workspaceId, date, delta) {
      entry(workspaceId);
      const key = `${workspaceId}|${date}`;
      recorded.set(key, addDay(recorded.get(key) ?? emptyDay(), delta));
    },
    reset() {
      recorded = new Map();
      mailboxCache = new Map();
    },
  };
}
