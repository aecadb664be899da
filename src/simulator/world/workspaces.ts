/**
 * The simulated instance's workspaces: one root team (the agency owner's personal team) and client
 * workspaces with ids spread over 2..46-ish with gaps, as on the reference instance. Each workspace
 * has a hidden activity profile that drives its ledger and its mailbox count.
 */
import { DAY_MS, laravelTimestamp } from '../dates';
import { intBetween, rngFor } from '../random';

export type Activity = 'active' | 'paused' | 'inactive';

export interface WorkspaceProfile {
  activity: Activity;
  /** Typical emails sent on a weekday. */
  dailySent: number;
  /** Typical interested leads per 30 days. */
  monthlyInterested: number;
  /** Share of sends that bounce. */
  bounceRate: number;
  /** First UTC day with any sending (`YYYY-MM-DD` ms). */
  startMs: number;
  /** Paused workspaces stop sending from this day on (ms), others: null. */
  stopMs: number | null;
  mailboxCount: number;
}

export interface SimWorkspace {
  id: number;
  name: string;
  personal_team: boolean;
  main: boolean;
  parent_id: number | null;
  total_email_verification_credits: number;
  used_email_verification_credits: number;
  remaining_email_verification_credits: number;
  sender_email_limit: number;
  warmup_limit: number;
  warmup_filter_phrase: string;
  has_access_to_warmup: boolean;
  has_access_to_healthcheck: boolean;
  created_at: string;
  updated_at: string;
}

const FIRST = ['Apex', 'Bright', 'Cedar', 'Delta', 'Evergreen', 'Falcon', 'Granite', 'Harbor', 'Ironwood', 'Juniper',
  'Keystone', 'Lumen', 'Meridian', 'Northstar', 'Oakridge', 'Pinnacle', 'Quarry', 'Redwood', 'Summit', 'Trident',
  'Unity', 'Vertex', 'Willow', 'Xylo', 'Yardley', 'Zenith'];
const SECOND = ['Capital', 'Logistics', 'Health', 'Software', 'Legal', 'Realty', 'Labs', 'Partners', 'Media', 'Energy',
  'Foods', 'Security', 'Staffing', 'Dental', 'Solar', 'Insurance'];

export interface WorkspaceDraft {
  workspace: SimWorkspace;
  profile: WorkspaceProfile;
}

/** Builds `count` workspaces (root first) whose mailbox counts add up to `mailboxes`. */
export function generateWorkspaces(seed: string, count: number, mailboxes: number, createdAtMs: number): WorkspaceDraft[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`simulator: workspaces must be an integer >= 1, got ${count}`);
  if (!Number.isInteger(mailboxes) || mailboxes < count) {
    throw new Error(`simulator: mailboxes must be an integer >= workspaces (${count}), got ${mailboxes}`);
  }
  const rand = rngFor(seed, 'workspaces');
  const ids = pickIds(rand, count);
  const counts = spreadMailboxes(rand, count, mailboxes);
  const inactiveEvery = Math.max(1, Math.round((count - 1) * 0.12));
  const usedNames = new Set<string>();
  return ids.map((id, i) => {
    const root = i === 0;
    const name = root ? 'Agency HQ' : uniqueName(rand, usedNames);
    const activity: Activity = root ? 'inactive' : i % (inactiveEvery * 4) === 3 ? 'paused' : i % (inactiveEvery * 8) === 7 ? 'inactive' : 'active';
    return draftWorkspace(rand, { id, name, rootId: root ? null : ids[0], activity, mailboxCount: counts[i], ageDays: root ? 900 : intBetween(rand, 430, 820), nowMs: createdAtMs });
  });
}

/**
 * A client workspace an admin creates while the instance runs (`POST /__control/workspaces`): it
 * sends from today on, with 50–200 mailboxes. Deterministic in the seed and the id.
 */
export function addedWorkspace(seed: string, id: number, name: string, rootId: number, nowMs: number): WorkspaceDraft {
  const rand = rngFor(seed, `added-workspace-${id}`);
  return draftWorkspace(rand, { id, name, rootId, activity: 'active', mailboxCount: intBetween(rand, 50, 200), ageDays: 0, nowMs });
}

interface DraftSpec {
  id: number;
  name: string;
  /** null for the root team itself. */
  rootId: number | null;
  activity: Activity;
  mailboxCount: number;
  ageDays: number;
  nowMs: number;
}

function draftWorkspace(rand: () => number, spec: DraftSpec): WorkspaceDraft {
  const { id, name, rootId, activity, nowMs } = spec;
  const root = rootId === null;
  const created = nowMs - spec.ageDays * DAY_MS - intBetween(rand, 0, DAY_MS - 1);
  const kpi = [50, 100, 200, 300][intBetween(rand, 0, 3)];
  const startMs = Math.floor(created / DAY_MS) * DAY_MS;
  const profile: WorkspaceProfile = {
    activity,
    dailySent: clamp(Math.round((kpi / 100) * 1750 * (0.5 + rand() * 0.8)), 500, 3000),
    monthlyInterested: clamp(Math.round(kpi * (0.4 + rand() * 0.9)), 10, 300),
    bounceRate: 0.01 + rand() * 0.03,
    startMs,
    stopMs: activity === 'paused' ? Math.floor(nowMs / DAY_MS) * DAY_MS - intBetween(rand, 20, 90) * DAY_MS : null,
    mailboxCount: spec.mailboxCount,
  };
  const credits = intBetween(rand, 0, 50) * 1000;
  const used = Math.floor(credits * rand());
  const workspace: SimWorkspace = {
    id,
    name,
    personal_team: root,
    main: root,
    parent_id: rootId,
    total_email_verification_credits: credits,
    used_email_verification_credits: used,
    remaining_email_verification_credits: credits - used,
    sender_email_limit: Math.max(2000, Math.ceil(spec.mailboxCount / 500) * 500),
    warmup_limit: 2000,
    warmup_filter_phrase: `wrm-${id}`,
    has_access_to_warmup: true,
    has_access_to_healthcheck: !root,
    created_at: laravelTimestamp(created),
    updated_at: laravelTimestamp(spec.ageDays === 0 ? created : nowMs - intBetween(rand, 1, 60) * DAY_MS),
  };
  return { workspace, profile };
}

/** Root is 2; clients take sorted distinct ids from 3 up to max(46, n + 20), leaving gaps. */
function pickIds(rand: () => number, count: number): number[] {
  const pool: number[] = [];
  for (let id = 3; id <= Math.max(46, count + 20); id++) pool.push(id);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return [2, ...pool.slice(0, count - 1).sort((a, b) => a - b)];
}

/** Splits `total` into `n` counts between 50 and 1,600 (bounds relax when the total demands it). */
function spreadMailboxes(rand: () => number, n: number, total: number): number[] {
  const min = Math.min(50, Math.floor(total / n));
  const max = Math.max(1600, Math.ceil(total / n));
  const weights = Array.from({ length: n }, (_, i) => (i === 0 ? 0.05 : 0.15 + rand() ** 2 * 3));
  const counts = new Array<number>(n).fill(min);
  let left = total - n * min;
  let open = weights.map((_, i) => i);
  while (left > 0 && open.length) {
    const sum = open.reduce((s, i) => s + weights[i], 0);
    let given = 0;
    for (const i of open) {
      const share = Math.max(1, Math.floor((left * weights[i]) / sum));
      const add = Math.min(share, max - counts[i], left - given);
      counts[i] += add;
      given += add;
      if (given >= left) break;
    }
    left -= given;
    open = open.filter((i) => counts[i] < max);
  }
  return counts;
}

function uniqueName(rand: () => number, used: Set<string>): string {
  for (;;) {
    const name = `${FIRST[intBetween(rand, 0, FIRST.length - 1)]} ${SECOND[intBetween(rand, 0, SECOND.length - 1)]}`;
    const candidate = used.has(name) ? `${name} ${used.size + 1}` : name;
    if (!used.has(candidate)) {
      used.add(candidate);
      return candidate;
    }
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
