/**
 * The per-day event ledger: what one workspace did on one UTC day. Every stats window and chart
 * point is a sum over this ledger, so overlapping windows always agree. A day is computed on demand
 * from (seed, workspace, date) alone, so the clock can move freely and nothing is precomputed.
 */
import { DAY_MS } from '../dates';
import { rngFor } from '../random';
import type { WorkspaceProfile } from './workspaces';

export interface DayCounts {
  sent: number;
  leadsContacted: number;
  opened: number;
  replied: number;
  uniqueReplies: number;
  interested: number;
  bounced: number;
  unsubscribed: number;
}

export const LEDGER_FIELDS = ['sent', 'leadsContacted', 'opened', 'replied', 'uniqueReplies', 'interested', 'bounced', 'unsubscribed'] as const;

export function emptyDay(): DayCounts {
  return { sent: 0, leadsContacted: 0, opened: 0, replied: 0, uniqueReplies: 0, interested: 0, bounced: 0, unsubscribed: 0 };
}

export function addDay(into: DayCounts, day: Partial<DayCounts>): DayCounts {
  for (const f of LEDGER_FIELDS) into[f] += day[f] ?? 0;
  return into;
}

/** Weekday sends per calendar day relative to a weekday; ~22 weekdays + weekends at 15 %. */
const DAYS_PER_MONTH_EQUIVALENT = 21.7 + 8.7 * 0.15;

/**
 * The generated counts of one day. `fraction` < 1 gives the part of the day already elapsed
 * (today); every count is monotonic in it, so today's numbers only grow as the clock moves.
 */
export function generatedDay(seed: string, workspaceId: number, profile: WorkspaceProfile, dayMs: number, fraction = 1): DayCounts {
  if (profile.activity === 'inactive' || dayMs < profile.startMs || (profile.stopMs !== null && dayMs >= profile.stopMs)) {
    return emptyDay();
  }
  const r = rngFor(seed, 'ledger', workspaceId, dayMs);
  const weekday = new Date(dayMs).getUTCDay();
  const weekdayFactor = weekday === 0 || weekday === 6 ? 0.15 : 1;
  const ramp = Math.min(1, (dayMs - profile.startMs) / (30 * DAY_MS) + 0.1);
  const fullSent = Math.round(profile.dailySent * weekdayFactor * ramp * (0.75 + 0.5 * r()));
  const sent = Math.floor(fullSent * fraction);
  const replyRate = (profile.monthlyInterested * 3) / (profile.dailySent * DAYS_PER_MONTH_EQUIVALENT);
  const uniqueReplies = Math.floor(sent * replyRate * (0.6 + 0.8 * r()) + r());
  const interested = Math.min(uniqueReplies, Math.floor(uniqueReplies * (0.25 + 0.17 * r()) + r()));
  return {
    sent,
    leadsContacted: Math.floor(sent * 0.55 + r()),
    opened: 0,
    replied: uniqueReplies + Math.floor(uniqueReplies * 0.15 + r()),
    uniqueReplies,
    interested,
    bounced: Math.floor(sent * profile.bounceRate * (0.7 + 0.6 * r()) + r()),
    unsubscribed: Math.floor(sent * 0.002 + r()),
  };
}
