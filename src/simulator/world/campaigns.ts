/**
 * Campaigns of a workspace and their sending schedules. Active campaigns of an active workspace
 * share its typical daily volume, so Σ `emails_being_sent` for today is close to what it sends.
 */
import { DAY_MS, isoDate } from '../dates';
import { hashString, intBetween, pick, rngFor, unitFor, weighted } from '../random';
import type { SimWorkspace, WorkspaceProfile } from './workspaces';

export interface SimCampaign {
  id: number;
  uuid: string;
  name: string;
  type: string;
  status: string;
  emails_sent: number;
  opened: number;
  unique_opens: number;
  replied: number;
  unique_replies: number;
  bounced: number;
  unsubscribed: number;
  interested: number;
  total_leads_contacted: number;
  total_leads: number;
  max_emails_per_day: number;
  max_new_leads_per_day: number;
  plain_text: boolean;
  open_tracking: boolean;
  tags: Array<{ id: number; name: string; default: boolean }>;
  created_at: string;
  updated_at: string;
}

export interface SimSchedule {
  id: number;
  campaign_id: number;
  name: string;
  date: string;
  emails_being_sent: number;
}

export type ScheduleDay = 'today' | 'tomorrow' | 'day_after_tomorrow';
export const SCHEDULE_OFFSETS: Record<ScheduleDay, number> = { today: 0, tomorrow: 1, day_after_tomorrow: 2 };

const THEMES = ['CFO outreach', 'Founders Q4', 'Ops leaders', 'Re-engagement', 'Webinar invite', 'Case study', 'Series A', 'Local SMB', 'Enterprise IT', 'HR directors'];

export function generateCampaigns(seed: string, ws: SimWorkspace, profile: WorkspaceProfile): SimCampaign[] {
  const rand = rngFor(seed, 'campaigns', ws.id);
  const count = ws.personal_team ? intBetween(rand, 0, 2) : intBetween(rand, 3, 24);
  const drafts = Array.from({ length: count }, () => {
    const status = profile.activity === 'active'
      ? weighted(rand, [['Active', 5], ['Paused', 2], ['Completed', 3], ['Draft', 1], ['Stopped', 1]])
      : weighted(rand, [['Paused', 2], ['Completed', 3], ['Draft', 1], ['Stopped', 1]]);
    return { status, weight: 0.5 + rand() };
  });
  if (profile.activity === 'active' && drafts.length && !drafts.some((d) => d.status === 'Active')) drafts[0].status = 'Active';
  const activeWeight = drafts.filter((d) => d.status === 'Active').reduce((s, d) => s + d.weight, 0) || 1;
  return drafts.map((d, i) => {
    const id = ws.id * 100 + i + 1;
    const leads = intBetween(rand, 200, 20_000);
    const contacted = d.status === 'Draft' ? 0 : Math.floor(leads * (0.2 + rand() * 0.8));
    const sent = Math.floor(contacted * (1.5 + rand() * 1.5));
    const unique = Math.floor(sent * rand() * 0.012);
    const maxPerDay = d.status === 'Active' ? Math.max(10, Math.round((profile.dailySent * d.weight) / activeWeight)) : intBetween(rand, 50, 800);
    return {
      id,
      uuid: uuidFor(seed, id),
      name: `${pick(rand, THEMES)} #${i + 1}`,
      type: 'outbound',
      status: d.status,
      emails_sent: sent,
      opened: 0,
      unique_opens: 0,
      replied: unique + Math.floor(unique * 0.15),
      unique_replies: unique,
      bounced: Math.floor(sent * 0.02 * rand()),
      unsubscribed: Math.floor(sent * 0.002),
      interested: Math.floor(unique * (0.25 + rand() * 0.17)),
      total_leads_contacted: contacted,
      total_leads: leads,
      max_emails_per_day: maxPerDay,
      max_new_leads_per_day: Math.max(5, Math.round(maxPerDay * 0.5)),
      plain_text: rand() < 0.7,
      open_tracking: false,
      tags: [],
      created_at: ws.created_at,
      updated_at: ws.updated_at,
    };
  });
}

/** Schedules for the date `todayMs + offset` (UTC): one row per Active campaign. */
export function schedulesFor(seed: string, campaigns: SimCampaign[], dayMs: number): SimSchedule[] {
  const weekday = new Date(dayMs).getUTCDay();
  const factor = weekday === 0 || weekday === 6 ? 0.15 : 1;
  const date = isoDate(dayMs);
  return campaigns.filter((c) => c.status === 'Active').map((c) => ({
    id: c.id * 10 + (Math.floor(dayMs / DAY_MS) % 10),
    campaign_id: c.id,
    name: c.name,
    date,
    emails_being_sent: Math.round(c.max_emails_per_day * factor * (0.8 + 0.3 * unitFor(seed, 'schedule', c.id, date))),
  }));
}

function uuidFor(seed: string, id: number): string {
  const hex = [0, 1, 2, 3].map((i) => hashString(`${seed}|uuid|${id}|${i}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
