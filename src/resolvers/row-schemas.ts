/**
 * Invariants every dashboard row must hold before it is served. A row that breaks one is a bug or
 * bad upstream data: `checkRows` hands it back with its issues so the caller can record a
 * validation error and drop or flag the row, instead of showing a NaN or a negative count.
 * (zod numbers already refuse NaN and ±Infinity.)
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();
const nonNegative = z.number().nonnegative();
const workspaceId = z.number().int().positive();
const name = z.string().min(1);
const rank = z.number().int().min(1);
/** A percent of a count within a count (replies of sent): 0 … 100. */
const boundedPercent = z.number().min(0).max(100);

export const kpiClientRowSchema = z.object({
  workspaceId,
  name,
  leadsGenerated: count,
  monthlyKpi: count,
  projectedReplies: count,
  currentProgress: nonNegative,
  repliesProgress: nonNegative,
  positiveRepliesLast7Days: count,
  positiveRepliesLast14Days: count,
  positiveRepliesLast30Days: count,
  positiveRepliesLastMonth: count,
  // A fall can be at most 100 %.
  weekOverWeekChange: z.number().min(-1).nullable(),
  emailsSent: count,
  bounced: count,
  status: z.enum(['ABOVE', 'ON_TRACK', 'BELOW']),
}).refine((r) => r.projectedReplies >= r.leadsGenerated, {
  message: 'projectedReplies is below leadsGenerated: a month-end projection cannot be less than what is done',
  path: ['projectedReplies'],
});

export const volumeClientRowSchema = z.object({
  workspaceId,
  name,
  emailsSent: count,
  emailsToday: count,
  emailsScheduledToday: count,
  emailsScheduledTomorrow: count,
  emailsLast7Days: count,
  emailsLast14Days: count,
  emailsLast30Days: count,
  // Rows exist only for clients with a sending target.
  monthlyTarget: z.number().positive(),
  dailyTarget: nonNegative,
  expectedByNow: nonNegative,
  isOnTrack: z.boolean(),
  projection: count,
  targetPercentage: nonNegative,
  projectedPercentage: nonNegative,
  pace: z.enum(['ON_PACE', 'NEAR_TARGET', 'BEHIND']),
  rank,
});

export const revenueClientRowSchema = z.object({
  workspaceId,
  name,
  billingType: z.enum(['PER_LEAD', 'RETAINER']),
  leads: count,
  revenue: nonNegative,
  costs: nonNegative,
  costSource: z.enum(['MANUAL', 'MAILBOXES', 'NONE']),
  profit: z.number(),
  profitMargin: z.number().nullable(),
  kpiProgress: nonNegative,
  monthlyKpi: count,
  possibleRevenue: nonNegative,
  projectedRevenue: nonNegative,
  rank,
}).refine((r) => Math.abs(r.profit - (r.revenue - r.costs)) < 1e-6, {
  message: 'profit is not revenue - costs',
  path: ['profit'],
}).refine((r) => (r.revenue > 0) === (r.profitMargin !== null), {
  message: 'profitMargin must be null exactly when revenue is 0',
  path: ['profitMargin'],
});

export const mailboxSchema = z.object({
  id: z.number().int().positive(),
  workspaceId,
  name,
  email: z.string().min(1),
  domain: z.string(),
  status: z.string(),
  connected: z.boolean(),
  provider: z.string().min(1),
  reseller: z.string().min(1),
  tags: z.array(z.string()),
  emailsSent: count,
  uniqueReplies: count,
  replyRate: boundedPercent,
  price: nonNegative,
  dailyCapacity: count,
  needsPriceReview: z.boolean(),
  overridden: z.boolean(),
});

export const infrastructureGroupSchema = z.object({
  key: z.string().min(1),
  workspaceId: workspaceId.nullable(),
  mailboxes: count,
  connected: count,
  disconnected: count,
  emailsSent: count,
  replies: count,
  replyRate: boundedPercent,
  dailyCapacity: count,
  monthlyCost: nonNegative,
}).refine((g) => g.connected + g.disconnected === g.mailboxes, {
  message: 'connected + disconnected must equal mailboxes',
  path: ['mailboxes'],
});

export interface RowIssue {
  /** Dotted path of the offending field, '' for the row itself. */
  path: string;
  message: string;
}

export interface InvalidRow<T> {
  /** Position in the input list. */
  index: number;
  row: T;
  issues: RowIssue[];
}

export interface RowCheck<T> {
  /** Rows that hold every invariant, in input order. */
  valid: T[];
  invalid: InvalidRow<T>[];
}

/** Split rows into those that hold the schema's invariants and those that do not (with why). */
export function checkRows<T>(rows: readonly T[], schema: z.ZodType): RowCheck<T> {
  const valid: T[] = [];
  const invalid: InvalidRow<T>[] = [];
  rows.forEach((row, index) => {
    const result = schema.safeParse(row);
    if (result.success) {
      valid.push(row);
    } else {
      const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      invalid.push({ index, row, issues });
    }
  });
  return { valid, invalid };
}
