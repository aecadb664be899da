/** Mailbox rows: one per Email Bison sender email, classified by `mailbox-rules`. */
import type { SenderEmail } from '../sources/email-bison/schemas';
import type { MailboxOverride } from '../sources/registry/types';
import { percentOrZero } from './common';
import {
  dailyCapacityOf, domainOf, isConnected, priceOf, providerOf, resellerOf, type Provider, type Reseller,
} from './mailbox-rules';

export interface Mailbox {
  /** Email Bison sender-email id. */
  id: number;
  workspaceId: number;
  /** Workspace (client) name, as supplied by the caller. */
  name: string;
  email: string;
  /** Lower-cased domain of `email`. */
  domain: string;
  /** Email Bison status as reported (`Connected`, `Not connected`, …). */
  status: string;
  /** status is `Connected`. */
  connected: boolean;
  provider: Provider;
  reseller: Reseller;
  /** Tag names as Email Bison has them. */
  tags: string[];
  /** Lifetime emails sent. */
  emailsSent: number;
  /** Lifetime unique replies. */
  uniqueReplies: number;
  /** uniqueReplies ÷ emailsSent × 100, a percent; 0 when nothing sent. */
  replyRate: number;
  /** Monthly price in $ (override, else reseller rule). */
  price: number;
  /** Emails a day (override, else provider/reseller rule). */
  dailyCapacity: number;
  /** Priced 0 because the reseller is unknown and no override sets a price. */
  needsPriceReview: boolean;
  /** A manual override set the price or the daily capacity. */
  overridden: boolean;
}

export interface WorkspaceRef {
  workspaceId: number;
  name: string;
}

/** `reseller|domain`, the unit ScaledMail and Mailr share a price or a capacity over. */
const domainKey = (reseller: Reseller, domain: string) => `${reseller}|${domain}`;

/**
 * Classify one workspace's mailboxes. Per-domain counts (ScaledMail price, Mailr and ScaledMail
 * capacity) are taken over `senderEmails` as given, connected or not: a reseller bills and limits
 * the domain, not the connection. A mailbox id repeated in the list is kept once (the first).
 */
export function classifyMailboxes(
  workspace: WorkspaceRef,
  senderEmails: readonly SenderEmail[],
  overrides: readonly MailboxOverride[] | ReadonlyMap<number, MailboxOverride> = [],
): Mailbox[] {
  const overrideById = overrides instanceof Map ? overrides : new Map((overrides as readonly MailboxOverride[]).map((o) => [o.senderEmailId, o]));
  const seen = new Set<number>();
  const unique: { sender: SenderEmail; tags: string[]; reseller: Reseller; domain: string }[] = [];
  const perDomain = new Map<string, number>();
  for (const sender of senderEmails) {
    if (seen.has(sender.id)) continue;
    seen.add(sender.id);
    const tags = sender.tags.map((t) => t.name);
    const reseller = resellerOf(tags);
    const domain = domainOf(sender.email);
    const key = domainKey(reseller, domain);
    perDomain.set(key, (perDomain.get(key) ?? 0) + 1);
    unique.push({ sender, tags, reseller, domain });
  }
  return unique.map(({ sender, tags, reseller, domain }) => {
    const provider = providerOf(tags, reseller, sender.type);
    const onDomain = perDomain.get(domainKey(reseller, domain)) ?? 1;
    const rule = priceOf(reseller, onDomain);
    const override = overrideById.get(sender.id);
    const overridePrice = override?.price ?? null;
    const overrideLimit = override?.dailyLimit ?? null;
    return {
      id: sender.id,
      workspaceId: workspace.workspaceId,
      name: workspace.name,
      email: sender.email,
      domain,
      status: sender.status,
      connected: isConnected(sender.status),
      provider,
      reseller,
      tags,
      emailsSent: sender.emails_sent_count,
      uniqueReplies: sender.unique_replied_count,
      replyRate: percentOrZero(sender.unique_replied_count, sender.emails_sent_count),
      price: overridePrice ?? rule.price,
      dailyCapacity: overrideLimit ?? dailyCapacityOf(provider, reseller, onDomain, sender.daily_limit),
      needsPriceReview: overridePrice === null && rule.needsReview,
      overridden: overridePrice !== null || overrideLimit !== null,
    };
  });
}

/**
 * The same mailbox id has been seen under two workspace keys upstream. Keep one row per id (the
 * lowest workspace id wins, so the choice is stable) and return the rest so the caller can warn.
 */
export function dedupeMailboxes(mailboxes: readonly Mailbox[]): { mailboxes: Mailbox[]; duplicates: Mailbox[] } {
  const kept = new Map<number, Mailbox>();
  const duplicates: Mailbox[] = [];
  for (const mailbox of mailboxes) {
    const current = kept.get(mailbox.id);
    if (!current) {
      kept.set(mailbox.id, mailbox);
    } else if (mailbox.workspaceId < current.workspaceId) {
      kept.set(mailbox.id, mailbox);
      duplicates.push(current);
    } else {
      duplicates.push(mailbox);
    }
  }
  return { mailboxes: [...kept.values()], duplicates };
}
