/** Email Bison payloads derived from ledger sums: the stats window and the line-area chart. */
import type { DayCounts } from './ledger';

export interface SimStats {
  emails_sent: number;
  total_leads_contacted: number;
  opened: number;
  opened_percentage: number;
  unique_opens_per_contact: number;
  unique_opens_per_contact_percentage: number;
  unique_replies_per_contact: number;
  unique_replies_per_contact_percentage: number;
  bounced: number;
  bounced_percentage: number;
  unsubscribed: number;
  unsubscribed_percentage: number;
  interested: number;
  interested_percentage: number;
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 100 : 0);

export function statsFromCounts(c: DayCounts): SimStats {
  return {
    emails_sent: c.sent,
    total_leads_contacted: c.leadsContacted,
    opened: c.opened,
    opened_percentage: pct(c.opened, c.leadsContacted),
    unique_opens_per_contact: c.opened,
    unique_opens_per_contact_percentage: pct(c.opened, c.leadsContacted),
    unique_replies_per_contact: c.uniqueReplies,
    unique_replies_per_contact_percentage: pct(c.uniqueReplies, c.leadsContacted),
    bounced: c.bounced,
    bounced_percentage: pct(c.bounced, c.sent),
    unsubscribed: c.unsubscribed,
    unsubscribed_percentage: pct(c.unsubscribed, c.leadsContacted),
    interested: c.interested,
    interested_percentage: pct(c.interested, c.uniqueReplies),
  };
}

/** Chart series in the order the Email Bison UI shows them. */
export const CHART_SERIES: ReadonlyArray<readonly [string, keyof DayCounts]> = [
  ['Sent', 'sent'],
  ['Replied', 'uniqueReplies'],
  ['Interested', 'interested'],
  ['Bounced', 'bounced'],
  ['Unsubscribed', 'unsubscribed'],
  ['Opened', 'opened'],
];

export interface ChartSeries {
  label: string;
  color: string;
  dates: Array<[string, number]>;
}

const COLORS = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#6b7280', '#8b5cf6'];

export function chartFromDays(days: Array<[string, DayCounts]>): ChartSeries[] {
  return CHART_SERIES.map(([label, field], i) => ({
    label,
    color: COLORS[i],
    dates: days.map(([date, c]): [string, number] => [date, c[field]]),
  }));
}
