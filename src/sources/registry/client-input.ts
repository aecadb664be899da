/** Validation of what admins send to the registry (ClientInput, costs, overrides). */
import { z } from 'zod';
import { RegistryInputError } from './errors';

const MAX_MONEY = 9_999_999_999.99; // numeric(12, 2)
const MAX_INT = 2_147_483_647; // integer

export const workspaceIdSchema = z.number({ error: 'a positive integer' }).int({ error: 'a positive integer' }).min(1, { error: 'a positive integer' }).max(MAX_INT, { error: 'a positive integer' });

export const moneySchema = z
  .number({ error: 'a non-negative amount' })
  .refine((n) => Number.isFinite(n) && n >= 0 && n <= MAX_MONEY, { error: `a non-negative amount up to ${MAX_MONEY}` })
  // Cents only: 12.345 would be silently rounded by the column, so refuse it.
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, { error: 'an amount with at most 2 decimals' });

export const countSchema = z.number({ error: 'a non-negative integer' }).int({ error: 'a non-negative integer' }).min(0, { error: 'a non-negative integer' }).max(MAX_INT, { error: 'a non-negative integer' });

const httpUrl = z.string().refine((s) => {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}, { error: 'an absolute http(s) URL' });

const nonBlank = (what: string) => z.string({ error: what }).trim().min(1, { error: what }).max(200, { error: `${what} of at most 200 characters` });

export const clientInputSchema = z.object({
  workspaceId: workspaceIdSchema,
  name: nonBlank('a non-empty name').optional(),
  displayName: nonBlank('a non-empty display name or null').nullable().optional(),
  active: z.boolean({ error: 'true or false' }).optional(),
  billingType: z.enum(['PER_LEAD', 'RETAINER'], { error: 'PER_LEAD or RETAINER' }).optional(),
  pricePerLead: moneySchema.optional(),
  retainerAmount: moneySchema.optional(),
  monthlyKpiTarget: countSchema.optional(),
  monthlySendingTarget: countSchema.optional(),
  dailySendingTarget: countSchema.optional(),
  // The value is never echoed: the message says only what shape is wanted.
  apiKey: z.string({ error: 'an Email Bison api key of the form <id>|<secret>' }).regex(/^\d+\|\S{8,}$/, { error: 'an Email Bison api key of the form <id>|<secret>' }).nullable().optional(),
  instanceUrl: httpUrl.transform((s) => s.replace(/\/+$/, '')).nullable().optional(),
});

export const monthSchema = z.string({ error: 'a month as YYYY-MM' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'a month as YYYY-MM' });

export const noteSchema = z.string({ error: 'text or null' }).max(1000, { error: 'at most 1000 characters' }).nullable().optional();

/** Parses `value` or throws RegistryInputError naming the first bad field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : 'input';
  throw new RegistryInputError(field, `wants ${issue.message}`);
}
