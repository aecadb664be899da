/**
 * Infrastructure dashboard: totals and groupings of classified mailboxes, in one pass over them
 * (11,000 mailboxes is the top of the range; everything here is linear apart from sorting).
 */
import { percentOrZero } from './common';
import { field, type RowOf } from './fields';
import type { Mailbox } from './mailboxes';

/** A mailbox needs this many sends before its reply rate says anything. */
export const MIN_SENT_FOR_REPLY_RATE = 50;

/** What a group of mailboxes and the totals both carry. */
export const MAILBOX_AGGREGATE_FIELDS = {
  mailboxes: field.count('Mailboxes, connected or not'),
  connected: field.count('Connected mailboxes'),
  disconnected: field.count('Mailboxes not connected'),
  emailsSent: field.count('Emails sent, lifetime, all mailboxes'),
  replies: field.count('Unique replies, lifetime, all mailboxes'),
  replyRate: field.percentOf('Sum of replies / sum of emails sent * 100 over mailboxes with >= 50 sent, so barely used ones do not swing it (percent; 0 when none qualifies)'),
  dailyCapacity: field.count('Emails a day of the connected mailboxes (a disconnected mailbox sends nothing)'),
  monthlyCost: field.money('$ a month of the connected mailboxes: the price rule revenue costs use'),
};

export type InfrastructureTotals = RowOf<typeof MAILBOX_AGGREGATE_FIELDS>;

export const INFRASTRUCTURE_GROUP_FIELDS = {
  key: field.name('What the group shares: the provider, the reseller or the workspace name'),
  workspaceId: field.nullable(field.workspaceId('The workspace, for groups by workspace; null otherwise')),
  ...MAILBOX_AGGREGATE_FIELDS,
};

export type InfrastructureGroup = RowOf<typeof INFRASTRUCTURE_GROUP_FIELDS>;

export interface InfrastructureResult {
  /** Every mailbox, ordered by workspace id then mailbox id (the pagination order). */
  mailboxes: Mailbox[];
  totals: InfrastructureTotals;
  byProvider: InfrastructureGroup[];
  byReseller: InfrastructureGroup[];
  byWorkspace: InfrastructureGroup[];
  /** Connected mailboxes with ≥ 50 sent and no reply, most sent first. */
  silentMailboxes: Mailbox[];
}

interface GroupAccumulator extends InfrastructureGroup {
  qualifiedSent: number;
  qualifiedReplies: number;
}

function newGroup(key: string, workspaceId: number | null): GroupAccumulator {
  return {
    key, workspaceId, mailboxes: 0, connected: 0, disconnected: 0, emailsSent: 0, replies: 0, replyRate: 0,
    dailyCapacity: 0, monthlyCost: 0, qualifiedSent: 0, qualifiedReplies: 0,
  };
}

function addTo(group: GroupAccumulator, m: Mailbox): void {
  group.mailboxes += 1;
  group.emailsSent += m.emailsSent;
  group.replies += m.uniqueReplies;
  if (m.connected) {
    group.connected += 1;
    group.dailyCapacity += m.dailyCapacity;
    group.monthlyCost += m.price;
  } else {
    group.disconnected += 1;
  }
  if (m.emailsSent >= MIN_SENT_FOR_REPLY_RATE) {
    group.qualifiedSent += m.emailsSent;
    group.qualifiedReplies += m.uniqueReplies;
  }
}

function finish(groups: Map<string, GroupAccumulator>): InfrastructureGroup[] {
  return [...groups.values()]
    .map(({ qualifiedSent, qualifiedReplies, ...group }) => ({ ...group, replyRate: percentOrZero(qualifiedReplies, qualifiedSent) }))
    .sort((a, b) => b.mailboxes - a.mailboxes || a.key.localeCompare(b.key));
}

function groupFor(groups: Map<string, GroupAccumulator>, id: string, key: string, workspaceId: number | null): GroupAccumulator {
  let group = groups.get(id);
  if (!group) {
    group = newGroup(key, workspaceId);
    groups.set(id, group);
  }
  return group;
}

/** Order of the mailbox list and of pagination: workspace id, then mailbox id. */
export function compareMailboxes(a: Pick<Mailbox, 'workspaceId' | 'id'>, b: Pick<Mailbox, 'workspaceId' | 'id'>): number {
  return a.workspaceId - b.workspaceId || a.id - b.id;
}

export function isSilent(m: Mailbox): boolean {
  return m.connected && m.emailsSent >= MIN_SENT_FOR_REPLY_RATE && m.uniqueReplies === 0;
}

/** Sum of connected mailboxes' monthly price per workspace: the `mailboxCost` revenue needs. */
export function mailboxCostByWorkspace(mailboxes: readonly Mailbox[]): Map<number, number> {
  const costs = new Map<number, number>();
  for (const m of mailboxes) {
    if (m.connected) costs.set(m.workspaceId, (costs.get(m.workspaceId) ?? 0) + m.price);
  }
  return costs;
}

/** Groups are ordered by mailbox count descending, then key; groups by provider include Unknown. */
export function buildInfrastructure(mailboxes: readonly Mailbox[]): InfrastructureResult {
  const all = newGroup('all', null);
  const byProvider = new Map<string, GroupAccumulator>();
  const byReseller = new Map<string, GroupAccumulator>();
  const byWorkspace = new Map<string, GroupAccumulator>();
  const silent: Mailbox[] = [];
  for (const m of mailboxes) {
    addTo(all, m);
    addTo(groupFor(byProvider, m.provider, m.provider, null), m);
    addTo(groupFor(byReseller, m.reseller, m.reseller, null), m);
    addTo(groupFor(byWorkspace, String(m.workspaceId), m.name, m.workspaceId), m);
    if (isSilent(m)) silent.push(m);
  }
  return {
    mailboxes: [...mailboxes].sort(compareMailboxes),
    totals: {
      mailboxes: all.mailboxes,
      connected: all.connected,
      disconnected: all.disconnected,
      emailsSent: all.emailsSent,
      replies: all.replies,
      replyRate: percentOrZero(all.qualifiedReplies, all.qualifiedSent),
      dailyCapacity: all.dailyCapacity,
      monthlyCost: all.monthlyCost,
    },
    byProvider: finish(byProvider),
    byReseller: finish(byReseller),
    byWorkspace: finish(byWorkspace),
    silentMailboxes: silent.sort((a, b) => b.emailsSent - a.emailsSent || compareMailboxes(a, b)),
  };
}
