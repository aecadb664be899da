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
  id: field.of('Int', z.number().int().positive())('Email Bison sender-email id (what setMailboxOverride takes)'),
  workspaceId: field.workspaceId('Email Bison workspace id the mailbox belongs to'),
  // as supplied by the caller
  name: field.name('Client (workspace) name: display name, else the workspace name'),
  email: field.of('String', z.string().min(1))('Sending address'),
  domain: field.text('Lower-cased part of `email` after the @'),
  status: field.text('Connection status as Email Bison reports it (e.g. "Connected", "Not connected")'),
  connected: field.boolean('status is "Connected"; a disconnected mailbox sends nothing and costs nothing'),
  provider: field.of('String', z.enum(PROVIDERS))(`One of ${PROVIDERS.join(', ')}: the first provider tag (Gmail counts as Google, Microsoft as Outlook); ScaledMail and Mailr mailboxes are Outlook; else the connection type; else Unknown`),
  reseller: field.of('String', z.enum(RESELLERS))(`One of ${RESELLERS.join(', ')}: the first reseller tag (numbered batches like "CheapInboxes - 2" included), else Unknown`),
  emailsSent: field.count('Emails sent, lifetime'),
  uniqueReplies: field.count('Contacts who replied, lifetime'),
  replyRate: field.percentOf('uniqueReplies / emailsSent * 100 (percent; 0 when nothing sent)'),
  price: field.money('$ a month: the override, else the reseller rule (Zapmail and CheapInboxes 3.00, Mailr 0.91, ScaledMail 50 / its mailboxes on the domain, else 0)'),
  dailyCapacity: field.count('Emails a day: the override, else the rule (Google and Outlook 20; Mailr floor(495 / its mailboxes on the domain); ScaledMail 5, or 8 when 25-48 on the domain; else the mailbox\'s Email Bison daily limit)'),
  needsPriceReview: field.boolean('Priced 0 because nobody knows its price (unknown reseller, no override): the costs understate'),
  overridden: field.boolean('A manual override (setMailboxOverride) sets its price or daily capacity'),
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
