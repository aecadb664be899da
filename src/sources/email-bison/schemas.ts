/**
 * Zod schemas of Email Bison's REST payloads (see ../shared/EMAIL_BISON.md).
 *
 * Shared by the gateway's client (every payload is validated before it is cached) and by the
 * simulator's own tests (what it serves must parse). Counts may arrive as numeric strings on some
 * instances, so numeric fields coerce; anything that is not a finite number after coercion fails.
 */
import { z } from 'zod';

/** An integer that may arrive as a numeric string ("12"). */
export const count = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
  z.number().int().nonnegative(),
);
/** A float that may arrive as a numeric string ("12.50"). */
export const ratio = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
  z.number().finite(),
);
const timestamp = z.string().min(1);

export const workspaceSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  personal_team: z.boolean(),
  main: z.boolean().optional(),
  parent_id: z.number().int().nullable().optional(),
  created_at: timestamp.optional(),
  updated_at: timestamp.optional(),
}).loose();
export type Workspace = z.infer<typeof workspaceSchema>;
export const workspacesResponse = z.object({ data: z.array(workspaceSchema) });

export const statsSchema = z.object({
  emails_sent: count,
  total_leads_contacted: count,
  opened: count,
  opened_percentage: ratio,
  unique_replies_per_contact: count,
  unique_replies_per_contact_percentage: ratio,
  bounced: count,
  bounced_percentage: ratio,
  unsubscribed: count,
  unsubscribed_percentage: ratio,
  interested: count,
  interested_percentage: ratio,
}).loose();
export type Stats = z.infer<typeof statsSchema>;
export const statsResponse = z.object({ data: statsSchema });

/** One series of the line-area chart: `[YYYY-MM-DD, count]` points. Shape unverified upstream. */
export const chartSeriesSchema = z.object({
  label: z.string(),
  dates: z.array(z.tuple([z.string(), count])),
}).loose();
export const chartResponse = z.object({ data: z.array(chartSeriesSchema) });

export const sendingScheduleSchema = z.object({
  id: z.number().int().optional(),
  campaign_id: z.number().int().optional(),
  name: z.string().optional(),
  emails_being_sent: count,
}).loose();
export type SendingSchedule = z.infer<typeof sendingScheduleSchema>;
export const sendingSchedulesResponse = z.object({ data: z.array(sendingScheduleSchema) });

export const tagSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  default: z.boolean().optional(),
}).loose();

export const senderEmailSchema = z.object({
  id: z.number().int().positive(),
  name: z.string().nullable().optional(),
  email: z.string(),
  daily_limit: count,
  type: z.string().nullable().optional(),
  status: z.string(),
  warmup_enabled: z.boolean().optional(),
  emails_sent_count: count,
  total_replied_count: count,
  unique_replied_count: count,
  bounced_count: count,
  unsubscribed_count: count.optional(),
  total_leads_contacted_count: count.optional(),
  interested_leads_count: count.optional(),
  tags: z.array(tagSchema),
  created_at: timestamp.optional(),
  updated_at: timestamp.optional(),
}).loose();
export type SenderEmail = z.infer<typeof senderEmailSchema>;

export const campaignSchema = z.object({
  id: z.number().int().positive(),
  uuid: z.string().optional(),
  name: z.string(),
  type: z.string().optional(),
  status: z.string(),
  emails_sent: count,
  replied: count,
  unique_replies: count,
  bounced: count,
  unsubscribed: count,
  interested: count,
  total_leads_contacted: count,
  total_leads: count,
  max_emails_per_day: count.optional(),
  max_new_leads_per_day: count.optional(),
  tags: z.array(tagSchema).optional(),
}).loose();

/** Laravel pagination envelope; `links.next` is absolute and keeps the query string. */
export function paginated<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    links: z.object({
      first: z.string().nullable(),
      last: z.string().nullable(),
      prev: z.string().nullable(),
      next: z.string().nullable(),
    }),
    meta: z.object({
      current_page: count,
      from: count.nullable(),
      last_page: count,
      path: z.string(),
      per_page: count,
      to: count.nullable(),
      total: count,
    }).loose(),
  });
}
export const senderEmailsPage = paginated(senderEmailSchema);
export const campaignsPage = paginated(campaignSchema);

export const mintedTokenResponse = z.object({
  data: z.object({ id: z.number().int(), plain_text_token: z.string().regex(/^\d+\|.+$/) }).loose(),
});

/** Webhook body Email Bison POSTs to us. `type` is normalised to lower snake case. */
export const webhookSchema = z.object({
  event: z.object({
    type: z.string().min(1).max(64).transform((t) => t.trim().toLowerCase()),
    name: z.string().optional(),
    instance_url: z.string().optional(),
    workspace_id: z.number().int().positive(),
    workspace_name: z.string().optional(),
  }).loose(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const STATS_EVENTS = new Set(['email_sent', 'lead_replied', 'lead_interested', 'email_bounced', 'lead_unsubscribed']);
export const MAILBOX_EVENTS = new Set([
  'email_account_added', 'email_account_removed', 'email_account_disconnected', 'email_account_reconnected',
]);
