/** Mailbox rows: one per Email Bison sender email, classified by `mailbox-rules`. */
import type { SenderEmail } from '../../sources/email-bison/schemas';
import type { MailboxOverride } from '../../sources/registry/types';
import { z } from 'zod';
import { percentOrZero } from './common';
import { field, type RowOf } from './fields';
import {
  dailyCapacityOf, domainOf, isConnected, priceOf, providerOf, resellerOf, PROVIDERS, RESELLERS, type Reseller,
} from './mailbox-rules';

/** One mailbox row: an Email Bison sender email, classified by `mailbox-rules`. */
export const MAILBOX_FIELDS = {
  id: field.of('Int', z.number().int().positive())('Email Bison sender-email id'),
  workspaceId: field.workspaceId(),
  // as supplied by the caller
  name: field.name('Client (workspace) name'),
  email: field.of('String', z.string().min(1))(),
  // lower-cased domain of `email`
  domain: field.text(),
  status: field.text('As Email Bison reports it'),
  connected: field.boolean(),
  provider: field.of('String', z.enum(PROVIDERS))(`One of ${PROVIDERS.join(', ')}`),
  reseller: field.of('String', z.enum(RESELLERS))(`One of ${RESELLERS.join(', ')}`),
  emailsSent: field.count('Lifetime emails sent'),
  // lifetime
  uniqueReplies: field.count(),
  replyRate: field.percentOf('unique replies / sent * 100 (percent; 0 when nothing sent)'),
  price: field.money('Monthly $ (override, else the reseller rule)'),
  dailyCapacity: field.count('Emails a day (override, else the provider/reseller rule)'),
  needsPriceReview: field.boolean('Priced 0: unknown reseller and no override'),
  overridden: field.boolean('A manual override set price or capacity'),
};

/** `tags`: the tag names as Email Bison has them. */
export type Mailbox = RowOf<typeof MAILBOX_FIELDS> & { tags: string[] };

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
