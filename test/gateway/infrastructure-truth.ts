/**
 * DESIGN.md's mailbox rules written out again, for tests only, straight from the simulator's
 * records (`sim.world.mailboxes(ws)`): the gateway's src/resolvers are never called, so a test
 * comparing the two catches a rule either side got wrong.
 */
import type { SimMailbox } from '../../src/simulator';

export interface ExpectedMailbox {
  id: number;
  workspaceId: number;
  email: string;
  domain: string;
  connected: boolean;
  provider: string;
  reseller: string;
  emailsSent: number;
  uniqueReplies: number;
  replyRate: number;
  price: number;
  dailyCapacity: number;
}

export interface Override { price?: number; dailyLimit?: number }

// Provider: the first provider tag, trimmed, any case; Gmail is Google; Microsoft and Outlook are one provider.
const PROVIDER: Record<string, string> = {
  google: 'Google', gmail: 'Google', microsoft: 'Outlook', outlook: 'Outlook',
  yahoo: 'Yahoo', custom: 'Custom', icloud: 'iCloud', aol: 'AOL',
};
const RESELLER: Record<string, string> = { zapmail: 'Zapmail', cheapinboxes: 'CheapInboxes', mailr: 'Mailr', scaledmail: 'ScaledMail' };

function resellerOf(tags: string[]): string {
  for (const tag of tags) {
    const name = tag.trim().toLowerCase().replace(/\s*-\s*\d+$/, ''); // "CheapInboxes - 1"
    if (RESELLER[name]) return RESELLER[name];
  }
  return 'Unknown';
}

function providerOf(tags: string[], reseller: string): string {
  if (reseller === 'ScaledMail' || reseller === 'Mailr') return 'Outlook';
  for (const tag of tags) {
    const provider = PROVIDER[tag.trim().toLowerCase()];
    if (provider) return provider;
  }
  return 'Unknown';
}

/** Every mailbox of one workspace as the infrastructure dashboard must show it. */
export function expectedMailboxes(workspaceId: number, records: readonly SimMailbox[], overrides: ReadonlyMap<number, Override> = new Map()): ExpectedMailbox[] {
  const base = records.map((r) => {
    const tags = r.tags.map((t) => t.name);
    const reseller = resellerOf(tags);
    return { r, reseller, provider: providerOf(tags, reseller), domain: r.email.split('@')[1].toLowerCase() };
  });
  // ScaledMail and Mailr share a price or a capacity over the reseller's mailboxes on one domain.
  const onDomain = (reseller: string, domain: string) => base.filter((b) => b.reseller === reseller && b.domain === domain).length;
  return base.map(({ r, reseller, provider, domain }) => {
    const n = onDomain(reseller, domain);
    let price = 0;
    if (reseller === 'Zapmail' || reseller === 'CheapInboxes') price = 3;
    else if (reseller === 'Mailr') price = 0.91;
    else if (reseller === 'ScaledMail') price = 50 / n;
    let capacity: number;
    if (reseller === 'Mailr') capacity = Math.floor(495 / n);
    else if (reseller === 'ScaledMail') capacity = n >= 25 && n <= 48 ? 8 : 5;
    else if (provider === 'Google' || provider === 'Outlook') capacity = 20;
    else capacity = r.daily_limit; // other providers: the mailbox's own limit
    const override = overrides.get(r.id);
    return {
      id: r.id,
      workspaceId,
      email: r.email,
      domain,
      connected: r.status === 'Connected',
      provider,
      reseller,
      emailsSent: r.emails_sent_count,
      uniqueReplies: r.unique_replied_count,
      replyRate: r.emails_sent_count > 0 ? (r.unique_replied_count / r.emails_sent_count) * 100 : 0,
      price: override?.price ?? price,
      dailyCapacity: override?.dailyLimit ?? capacity,
    };
  });
}

export interface ExpectedGroup {
  mailboxes: number;
  connected: number;
  disconnected: number;
  emailsSent: number;
  replies: number;
  replyRate: number;
  dailyCapacity: number;
  monthlyCost: number;
}

/** Aggregate: capacity and cost of connected mailboxes; reply rate weighted over mailboxes with >= 50 sent. */
export function expectedGroup(mailboxes: readonly ExpectedMailbox[]): ExpectedGroup {
  const connected = mailboxes.filter((m) => m.connected);
  const qualified = mailboxes.filter((m) => m.emailsSent >= 50);
  const sum = (list: readonly ExpectedMailbox[], f: (m: ExpectedMailbox) => number) => list.reduce((a, m) => a + f(m), 0);
  const qualifiedSent = sum(qualified, (m) => m.emailsSent);
  return {
    mailboxes: mailboxes.length,
    connected: connected.length,
    disconnected: mailboxes.length - connected.length,
    emailsSent: sum(mailboxes, (m) => m.emailsSent),
    replies: sum(mailboxes, (m) => m.uniqueReplies),
    replyRate: qualifiedSent > 0 ? (sum(qualified, (m) => m.uniqueReplies) / qualifiedSent) * 100 : 0,
    dailyCapacity: sum(connected, (m) => m.dailyCapacity),
    monthlyCost: sum(connected, (m) => m.price),
  };
}

export function groupBy<K>(mailboxes: readonly ExpectedMailbox[], key: (m: ExpectedMailbox) => K): Map<K, ExpectedMailbox[]> {
  const groups = new Map<K, ExpectedMailbox[]>();
  for (const m of mailboxes) groups.set(key(m), [...(groups.get(key(m)) ?? []), m]);
  return groups;
}
