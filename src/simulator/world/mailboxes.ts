/**
 * Mailboxes (Email Bison "sender emails") of one workspace, grouped on shared domains the way agencies
 * buy them: a reseller sells a domain with several inboxes. Provider, reseller, purchase date and
 * lifecycle exist only as tags, with the messiness seen on real instances (`Microsoft ` with a
 * trailing space, `CheapInboxes - 1`, mailboxes with no reseller tag, tags in varying order).
 */
import { DAY_MS, laravelTimestamp } from '../dates';
import { intBetween, pick, rngFor, weighted } from '../random';
import type { SimWorkspace, WorkspaceProfile } from './workspaces';

export interface SimTag {
  id: number;
  name: string;
  default: boolean;
  created_at: string;
  updated_at: string;
}

export interface SimMailbox {
  id: number;
  name: string;
  email: string;
  email_signature: string;
  daily_limit: number;
  type: string;
  status: string;
  warmup_enabled: boolean;
  emails_sent_count: number;
  total_replied_count: number;
  unique_replied_count: number;
  total_opened_count: number;
  unique_opened_count: number;
  bounced_count: number;
  unsubscribed_count: number;
  total_leads_contacted_count: number;
  interested_leads_count: number;
  tags: SimTag[];
  created_at: string;
  updated_at: string;
}

type Reseller = 'Zapmail' | 'CheapInboxes' | 'Mailr' | 'ScaledMail' | null;

const FIRST_NAMES = ['james', 'olivia', 'liam', 'emma', 'noah', 'ava', 'lucas', 'mia', 'ethan', 'sofia', 'mason', 'chloe', 'logan', 'grace', 'ryan', 'zoe'];
const LAST_NAMES = ['smith', 'jones', 'brown', 'miller', 'davis', 'wilson', 'moore', 'taylor', 'clark', 'hall', 'young', 'king'];
const DOMAIN_PREFIXES = ['get', 'try', 'meet', 'join', 'go', 'hello', 'use', 'with', 'team', 'the'];
const DOMAIN_SUFFIXES = ['', 'hq', 'team', 'mail', 'group', 'co', 'app'];
const TLDS = ['com', 'co', 'net', 'io'];
const LIFECYCLE = ['Warming', 'Warmup', 'Healthy', 'Active', 'Ramping', 'Recovery', 'Damaged'] as const;

interface DomainPlan {
  domain: string;
  reseller: Reseller;
  resellerTag: string | null;
  providerTags: string[];
  dateTag: string;
  size: number;
}

/** Generates the workspace's mailboxes with ids `firstId`, `firstId + 1`, ... */
export function generateMailboxes(seed: string, ws: SimWorkspace, profile: WorkspaceProfile, firstId: number, nowMs: number): SimMailbox[] {
  const rand = rngFor(seed, 'mailboxes', ws.id);
  const tags = new Map<string, SimTag>();
  const tag = (name: string): SimTag => {
    let t = tags.get(name);
    if (!t) {
      t = { id: ws.id * 1000 + tags.size + 1, name, default: false, created_at: ws.created_at, updated_at: ws.created_at };
      tags.set(name, t);
    }
    return t;
  };
  const slug = ws.name.toLowerCase().replace(/[^a-z0-9]+/g, '');
  const domains = new Set<string>();
  const out: SimMailbox[] = [];
  const createdFrom = Date.parse(ws.created_at);
  let k = 0;
  while (out.length < profile.mailboxCount) {
    const plan = planDomain(rand, slug, domains, profile.mailboxCount - out.length, k++);
    const locals = new Set<string>();
    for (let i = 0; i < plan.size; i++) {
      const first = pick(rand, FIRST_NAMES);
      const last = pick(rand, LAST_NAMES);
      let local = rand() < 0.5 ? first : `${first}.${last}`;
      while (locals.has(local)) local = `${local}${locals.size}`;
      locals.add(local);
      const lifecycle = pick(rand, LIFECYCLE);
      const names = [...plan.providerTags, ...(plan.resellerTag ? [plan.resellerTag] : []), plan.dateTag, lifecycle];
      if (rand() < 0.3) names.push(pick(rand, LIFECYCLE.filter((l) => l !== lifecycle)));
      if (rand() < 0.2) names.push(names.shift()!); // tag order varies on real instances
      const forceSilent = out.length === 1; // guarantees a "silent" mailbox in every workspace
      const created = createdFrom + Math.floor(rand() * Math.max(DAY_MS, nowMs - createdFrom - DAY_MS));
      out.push(mailbox(rand, {
        id: firstId + out.length,
        name: `${cap(first)} ${cap(last)}`,
        email: `${local}@${plan.domain}`,
        plan,
        lifecycle,
        tags: names.map(tag),
        forceSilent,
        activeWorkspace: profile.activity !== 'inactive',
        createdAt: laravelTimestamp(created),
        updatedAt: laravelTimestamp(Math.max(created, nowMs - intBetween(rand, 0, 20) * DAY_MS)),
      }));
    }
  }
  return out;
}

function planDomain(rand: () => number, slug: string, taken: Set<string>, left: number, index: number): DomainPlan {
  // The first two domains of a big enough workspace are a large ScaledMail block and a Mailr block.
  const reseller: Reseller = index === 0 && left >= 60 ? 'ScaledMail'
    : index === 1 && left >= 20 ? 'Mailr'
    : weighted<Reseller>(rand, [['Zapmail', 30], ['CheapInboxes', 20], ['Mailr', 12], ['ScaledMail', 12], [null, 8]]);
  let size: number;
  let providerTags: string[];
  switch (reseller) {
    case 'ScaledMail':
      size = index === 0 || rand() < 0.4 ? intBetween(rand, 25, 48) : intBetween(rand, 2, 20);
      providerTags = rand() < 0.1 ? [] : [weighted(rand, [['Microsoft', 4], ['Microsoft ', 2], ['Outlook', 3]])];
      break;
    case 'Mailr':
      size = intBetween(rand, 3, 30);
      providerTags = rand() < 0.15 ? [] : [weighted(rand, [['Outlook', 3], ['Microsoft', 2], ['Microsoft ', 1]])];
      break;
    case 'Zapmail':
      size = intBetween(rand, 2, 5);
      providerTags = [weighted(rand, [['Google', 8], ['Gmail', 2]])];
      break;
    case 'CheapInboxes':
      size = intBetween(rand, 2, 6);
      providerTags = [weighted(rand, [['Google', 5], ['Microsoft', 3], ['Microsoft ', 1], ['Gmail', 1]])];
      break;
    default:
      size = intBetween(rand, 1, 3);
      providerTags = [weighted(rand, [['Google', 3], ['Outlook', 2], ['Yahoo', 1], ['Custom', 2], ['iCloud', 1], ['AOL', 1]])];
  }
  const resellerTag = reseller === 'CheapInboxes' ? weighted(rand, [['CheapInboxes', 3], ['CheapInboxes - 1', 1], ['CheapInboxes - 2', 1]]) : reseller;
  let domain = `${pick(rand, DOMAIN_PREFIXES)}${slug}${pick(rand, DOMAIN_SUFFIXES)}.${pick(rand, TLDS)}`;
  for (let n = 2; taken.has(domain); n++) domain = domain.replace(/(\d*)\.(\w+)$/, `${n}.$2`);
  taken.add(domain);
  const dateTag = rand() < 0.25 ? '9/11' : `${intBetween(rand, 1, 12)}/${intBetween(rand, 1, 28)}`;
  return { domain, reseller, resellerTag, providerTags, dateTag, size: Math.min(size, left) };
}

interface MailboxDraft {
  id: number;
  name: string;
  email: string;
  plan: DomainPlan;
  lifecycle: string;
  tags: SimTag[];
  forceSilent: boolean;
  activeWorkspace: boolean;
  createdAt: string;
  updatedAt: string;
}

function mailbox(rand: () => number, d: MailboxDraft): SimMailbox {
  const warming = d.lifecycle === 'Warming' || d.lifecycle === 'Warmup';
  const status = d.forceSilent ? 'Connected'
    : weighted(rand, [['Connected', 88], ['Not connected', 9], ['Disconnected', 1], ['Paused', 1], ['Token expired', 1]]);
  const sent = d.forceSilent ? intBetween(rand, 60, 400)
    : d.activeWorkspace ? Math.floor(rand() ** 1.5 * (warming ? 400 : 3000)) : Math.floor(rand() * 300);
  const replyRate = d.forceSilent || rand() < 0.06 ? 0 : rand() * 0.01;
  const unique = Math.round(sent * replyRate);
  const provider = d.plan.providerTags[0]?.trim() ?? 'Outlook';
  const type = d.plan.reseller === 'Mailr' ? 'imap_smtp'
    : provider === 'Google' || provider === 'Gmail' ? 'google_workspace_oauth'
    : provider === 'Microsoft' || provider === 'Outlook' ? 'microsoft_oauth' : 'imap_smtp';
  return {
    id: d.id,
    name: d.name,
    email: d.email,
    email_signature: `<p>${d.name}</p>`,
    daily_limit: warming || rand() < 0.6 ? 10 : pick(rand, [15, 20, 25, 30]),
    type,
    status,
    warmup_enabled: warming || rand() < 0.5,
    emails_sent_count: sent,
    total_replied_count: unique + Math.floor(unique * 0.2 * rand()),
    unique_replied_count: unique,
    total_opened_count: 0,
    unique_opened_count: 0,
    bounced_count: Math.round(sent * (0.005 + rand() * 0.03)),
    unsubscribed_count: Math.round(sent * 0.002 * rand()),
    total_leads_contacted_count: Math.round(sent * 0.55),
    interested_leads_count: Math.round(unique * 0.33 * rand() * 2),
    tags: d.tags,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
