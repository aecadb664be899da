/**
 * The simulated instance's ground truth. Tests read it to hand-compute what dashboards should show,
 * independently of the gateway's code; the HTTP layer serves nothing that does not come from here.
 * Mailboxes and campaigns are generated lazily per workspace, ledger days on every read.
 */
import type { Clock } from '../../clock';
import { DAY_MS, dayFraction, eachDate, isoDate, laravelTimestamp, parseIsoDate } from '../dates';
import { addDay, emptyDay, generatedDay, type DayCounts } from './ledger';
import { generateMailboxes, type SimMailbox } from './mailboxes';
import { generateCampaigns, schedulesFor, SCHEDULE_OFFSETS, type ScheduleDay, type SimCampaign, type SimSchedule } from './campaigns';
import { addedWorkspace, generateWorkspaces, type SimWorkspace, type WorkspaceDraft, type WorkspaceProfile } from './workspaces';

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
  /** Forgets recorded events and mailbox changes (workspaces added, renamed or deleted stay so). */
  reset(): void;
  /** An admin creates a client workspace (next free id unless given); it sends from today on. */
  addWorkspace(input: { name: string; id?: number }): SimWorkspace;
  /** An admin renames a workspace; `updated_at` moves. */
  renameWorkspace(id: number, name: string): SimWorkspace;
  /** An admin deletes a client workspace: it is gone from the list and from every endpoint. */
  removeWorkspace(id: number): SimWorkspace;
}

export function createWorld(opts: WorldOptions): World {
  const { seed, clock } = opts;
  const createdAt = clock.now();
  const drafts = generateWorkspaces(seed, opts.workspaces, opts.mailboxes, createdAt);
  let workspaces: readonly SimWorkspace[] = drafts.map((d) => d.workspace);
  // `generatedAs` is the workspace as first created: mailboxes and campaigns keep the names they
  // were generated with when the workspace is renamed later, as on a real instance.
  const byId = new Map<number, WorkspaceDraft & { firstMailboxId: number; generatedAs: SimWorkspace }>();
  drafts.reduce((next, d) => (byId.set(d.workspace.id, { ...d, firstMailboxId: next, generatedAs: d.workspace }), next + d.profile.mailboxCount), 1001);
  let nextMailboxId = 1001 + drafts.reduce((n, d) => n + d.profile.mailboxCount, 0);
  let mailboxCache = new Map<number, SimMailbox[]>();
  const campaignCache = new Map<number, SimCampaign[]>();
  let recorded = new Map<string, DayCounts>();
  const root = workspaces[0];

  const listed = () => (workspaces = [...byId.values()].map((e) => e.workspace).sort((a, b) => a.id - b.id));
  const checkName = (name: unknown) => {
    if (typeof name !== 'string' || !name.trim() || name.length > 200) throw new Error(`simulator world: a workspace name wants 1 to 200 characters, got ${JSON.stringify(name)}`);
    return name.trim();
  };
  const clientEntry = (id: number) => {
    const e = entry(id);
    if (e.workspace.personal_team) throw new Error(`simulator world: workspace ${id} is the owner's personal team; it cannot be renamed or deleted`);
    return e;
  };

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
    get workspaces() {
      return workspaces;
    },
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
        list = generateMailboxes(seed, e.generatedAs, e.profile, e.firstMailboxId, createdAt);
        mailboxCache.set(workspaceId, list);
      }
      return list;
    },
    campaigns(workspaceId) {
      let list = campaignCache.get(workspaceId);
      if (!list) {
        const e = entry(workspaceId);
        list = generateCampaigns(seed, e.generatedAs, e.profile);
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
    addWorkspace(input) {
      const name = checkName(input.name);
      const id = input.id ?? Math.max(...byId.keys()) + 1;
      if (!Number.isInteger(id) || id < 1) throw new Error(`simulator world: a workspace id wants a positive integer, got ${input.id}`);
      if (byId.has(id)) throw new Error(`simulator world: workspace ${id} already exists`);
      const draft = addedWorkspace(seed, id, name, root.id, clock.now());
      byId.set(id, { ...draft, firstMailboxId: nextMailboxId, generatedAs: draft.workspace });
      nextMailboxId += draft.profile.mailboxCount;
      listed();
      return draft.workspace;
    },
    renameWorkspace(id, name) {
      const e = clientEntry(id);
      e.workspace = { ...e.workspace, name: checkName(name), updated_at: laravelTimestamp(clock.now()) };
      listed();
      return e.workspace;
    },
    removeWorkspace(id) {
      const e = clientEntry(id);
      byId.delete(id);
      mailboxCache.delete(id);
      campaignCache.delete(id);
      listed();
      return e.workspace;
    },
  };
}
