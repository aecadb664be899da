/** Small builders for resolver tests: every field defaults to something dull, tests set what matters. */
import type { SenderEmail, SendingSchedule, Stats } from '../../src/sources/email-bison/schemas';
import type { ClientRecord } from '../../src/sources/registry/types';
import type { Mailbox } from '../../src/resolvers/arithmetic/mailboxes';

export function stats(over: Partial<Stats> = {}): Stats {
  return {
    emails_sent: 0, total_leads_contacted: 0, opened: 0, opened_percentage: 0,
    unique_replies_per_contact: 0, unique_replies_per_contact_percentage: 0, bounced: 0, bounced_percentage: 0,
    unsubscribed: 0, unsubscribed_percentage: 0, interested: 0, interested_percentage: 0, ...over,
  };
}

export function client(over: Partial<ClientRecord> & { workspaceId: number }): ClientRecord {
  return {
    name: `Workspace ${over.workspaceId}`, displayName: null, active: true, billingType: 'PER_LEAD', pricePerLead: 0,
    retainerAmount: 0, monthlyKpiTarget: 0, monthlySendingTarget: 0, dailySendingTarget: 0, instanceUrl: null,
    hasApiKey: true, updatedAt: '2026-01-01T00:00:00Z', ...over,
  };
}

export const schedule = (emails: number): SendingSchedule => ({ emails_being_sent: emails });

let tagId = 1;
export function sender(id: number, email: string, tags: string[], over: Partial<SenderEmail> = {}): SenderEmail {
  return {
    id, email, name: null, daily_limit: 10, type: 'imap_smtp', status: 'Connected', emails_sent_count: 0,
    total_replied_count: 0, unique_replied_count: 0, bounced_count: 0,
    tags: tags.map((name) => ({ id: tagId++, name })), ...over,
  };
}

export function mailbox(over: Partial<Mailbox> & { id: number; workspaceId: number }): Mailbox {
  return {
    name: `Workspace ${over.workspaceId}`, email: `m${over.id}@example.com`, domain: 'example.com', status: 'Connected',
    connected: true, provider: 'Google', reseller: 'Zapmail', tags: [], emailsSent: 0, uniqueReplies: 0, replyRate: 0,
    price: 3, dailyCapacity: 20, needsPriceReview: false, overridden: false, ...over,
  };
}
