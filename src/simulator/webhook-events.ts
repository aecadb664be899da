/**
 * What a webhook event does to the world (the ledger moves, mailboxes change state) and the
 * Email Bison-shaped payload that reports it.
 */
import { laravelTimestamp } from './dates';
import { intBetween, pick } from './random';
import type { World } from './world';

export const WEBHOOK_TYPES = [
  'email_sent', 'manual_email_sent', 'lead_first_contacted', 'lead_replied', 'lead_interested', 'lead_unsubscribed',
  'untracked_reply_received', 'email_opened', 'email_bounced', 'email_account_added', 'email_account_removed',
  'email_account_disconnected', 'email_account_reconnected',
] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

export interface WebhookPayload {
  event: { type: string; name: string; instance_url: string; workspace_id: number; workspace_name: string };
  data: Record<string, unknown>;
}

const titleCase = (t: string) => t.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
let addedMailboxId = 90_000_000;

/** Applies the event's effect for "today" per the world's clock and builds its payload. */
export function applyEvent(world: World, type: WebhookType, workspaceId: number, rand: () => number, instanceUrl: string, now: number): WebhookPayload {
  const ws = world.workspace(workspaceId);
  if (!ws) throw new Error(`simulator webhook: no workspace ${workspaceId}`);
  const today = world.today();
  const mailboxes = world.mailboxes(workspaceId);
  const campaigns = world.campaigns(workspaceId);
  const leadId = intBetween(rand, 1, 9_999_999);
  const lead = { id: leadId, email: `lead${leadId}@prospect.example`, first_name: 'Lead', last_name: String(leadId), status: 'active' };
  const campaign = campaigns.length ? (({ id, name }) => ({ id, name }))(pick(rand, campaigns)) : null;
  let mailbox = mailboxes.length ? pick(rand, mailboxes) : null;
  const data: Record<string, unknown> = { lead, campaign };
  switch (type) {
    case 'email_sent':
    case 'manual_email_sent':
      world.record(workspaceId, today, { sent: 1 });
      if (mailbox) mailbox.emails_sent_count++;
      break;
    case 'lead_first_contacted':
      world.record(workspaceId, today, { leadsContacted: 1 });
      break;
    case 'lead_replied':
      world.record(workspaceId, today, { replied: 1, uniqueReplies: 1 });
      if (mailbox) (mailbox.unique_replied_count++, mailbox.total_replied_count++);
      data.reply = { id: leadId, subject: 'Re: quick question', text_body: 'Sounds interesting, tell me more.', date_received: laravelTimestamp(now) };
      break;
    case 'lead_interested':
      world.record(workspaceId, today, { interested: 1 });
      if (mailbox) mailbox.interested_leads_count++;
      data.reply = { id: leadId, subject: 'Re: quick question', interested: true, date_received: laravelTimestamp(now) };
      break;
    case 'lead_unsubscribed':
      world.record(workspaceId, today, { unsubscribed: 1 });
      break;
    case 'email_opened':
      world.record(workspaceId, today, { opened: 1 });
      break;
    case 'email_bounced':
      world.record(workspaceId, today, { bounced: 1 });
      if (mailbox) mailbox.bounced_count++;
      break;
    case 'email_account_disconnected':
      mailbox = mailboxes.find((m) => m.status === 'Connected') ?? mailbox;
      if (mailbox) mailbox.status = 'Not connected';
      break;
    case 'email_account_reconnected':
      mailbox = mailboxes.find((m) => m.status !== 'Connected') ?? mailbox;
      if (mailbox) mailbox.status = 'Connected';
      break;
    case 'email_account_added':
      if (mailbox) {
        const id = addedMailboxId++;
        mailbox = { ...mailbox, id, email: `new${id}@${mailbox.email.split('@')[1]}`, emails_sent_count: 0, total_replied_count: 0,
          unique_replied_count: 0, bounced_count: 0, unsubscribed_count: 0, interested_leads_count: 0, total_leads_contacted_count: 0,
          status: 'Connected', created_at: laravelTimestamp(now), updated_at: laravelTimestamp(now) };
        mailboxes.push(mailbox);
      }
      break;
    case 'email_account_removed':
      if (mailbox) mailboxes.splice(mailboxes.indexOf(mailbox), 1);
      break;
    case 'untracked_reply_received':
      data.reply = { id: leadId, subject: 'Out of office', date_received: laravelTimestamp(now) };
      break;
  }
  if (mailbox) data.sender_email = { id: mailbox.id, email: mailbox.email, name: mailbox.name, status: mailbox.status };
  return {
    event: { type, name: titleCase(type), instance_url: instanceUrl, workspace_id: ws.id, workspace_name: ws.name },
    data,
  };
}
