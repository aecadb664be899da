/**
 * Invariants every dashboard row must hold before it is served, derived from the field tables
 * plus the few that relate fields to each other. A row that breaks one is a bug or bad upstream
 * data: `checkRows` hands it back with its issues so the caller can record a validation error and
 * drop the row, instead of showing a NaN or a negative count. (zod numbers refuse NaN and ±Infinity.)
 */
import { z } from 'zod';
import { rowSchema } from './fields';
import { INFRASTRUCTURE_GROUP_FIELDS } from './infrastructure';
import { KPI_CLIENT_FIELDS, KPI_STATUSES } from './kpi';
import { MAILBOX_FIELDS } from './mailboxes';
import { COST_SOURCES, REVENUE_CLIENT_FIELDS } from './revenue';
import { VOLUME_CLIENT_FIELDS, VOLUME_PACES } from './volume';

export const kpiClientRowSchema = rowSchema(KPI_CLIENT_FIELDS).extend({ status: z.enum(KPI_STATUSES) }).refine((r) => r.projectedReplies >= r.leadsGenerated, {
  message: 'projectedReplies is below leadsGenerated: a month-end projection cannot be less than what is done',
  path: ['projectedReplies'],
});

export const volumeClientRowSchema = rowSchema(VOLUME_CLIENT_FIELDS).extend({ pace: z.enum(VOLUME_PACES) });

export const revenueClientRowSchema = rowSchema(REVENUE_CLIENT_FIELDS).extend({
  billingType: z.enum(['PER_LEAD', 'RETAINER']),
  costSource: z.enum(COST_SOURCES),
}).refine((r) => Math.abs(r.profit - (r.revenue - r.costs)) < 1e-6, {
  message: 'profit is not revenue - costs',
  path: ['profit'],
}).refine((r) => (r.revenue > 0) === (r.profitMargin !== null), {
  message: 'profitMargin must be null exactly when revenue is 0',
  path: ['profitMargin'],
});

export const mailboxSchema = rowSchema(MAILBOX_FIELDS).extend({ tags: z.array(z.string()) });

export const infrastructureGroupSchema = rowSchema(INFRASTRUCTURE_GROUP_FIELDS).refine((g) => g.connected + g.disconnected === g.mailboxes, {
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
