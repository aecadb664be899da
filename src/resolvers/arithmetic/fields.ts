/**
 * Field tables: each dashboard field is declared once, beside the arithmetic that computes it, as
 * its kind (what values it may hold, which gives both its zod check and its GraphQL scalar) and
 * what it means. The row types, the row schemas that guard what is served (row-schemas.ts) and the
 * GraphQL fields (src/schema/expose.ts) all derive from the table.
 */
import { z } from 'zod';

export type Scalar = 'Int' | 'Float' | 'String' | 'Boolean';

export interface FieldDef<T = unknown> {
  scalar: Scalar;
  nullable: boolean;
  /** The invariant every served value holds. */
  schema: z.ZodType<T>;
  description?: string;
  /** Dollars: served rounded to cents (sums are taken at full precision first). */
  money: boolean;
}

export type FieldTable = Record<string, FieldDef>;

/** The row shape a table declares. */
export type RowOf<T extends FieldTable> = { [K in keyof T]: T[K] extends FieldDef<infer V> ? V : never };

function kind<T>(scalar: Scalar, schema: z.ZodType<T>, money = false) {
  return (description?: string): FieldDef<T> => ({ scalar, nullable: false, schema, description, money });
}

export const field = {
  /** A count of things: a non-negative integer. */
  count: kind('Int', z.number().int().nonnegative()),
  workspaceId: kind('Int', z.number().int().positive()),
  /** A name shown to people: never empty. */
  name: kind('String', z.string().min(1)),
  text: kind('String', z.string()),
  /** 1 = first. */
  rank: kind('Int', z.number().int().min(1)),
  /** A non-negative float: a ratio (1.0 = 100 %), a percent, a fractional count. */
  amount: kind('Float', z.number().nonnegative()),
  /** A share of a count within a count (replies of sent), in percent: 0 … 100. */
  percentOf: kind('Float', z.number().min(0).max(100)),
  /** Any finite float (a margin, a change). */
  float: kind('Float', z.number()),
  /** $, never negative. */
  money: kind('Float', z.number().nonnegative(), true),
  /** $, may be negative (profit, a gap). */
  signedMoney: kind('Float', z.number(), true),
  boolean: kind('Boolean', z.boolean()),
  /** A kind with a narrower invariant than the ones above. */
  of: <T>(scalar: Scalar, schema: z.ZodType<T>) => kind(scalar, schema),
  nullable<T>(def: FieldDef<T>): FieldDef<T | null> {
    return { ...def, nullable: true, schema: def.schema.nullable() };
  },
};

/** The zod object of a table: every field's invariant. */
export function rowSchema<T extends FieldTable>(table: T): z.ZodObject<{ [K in keyof T]: T[K]['schema'] }> {
  const shape = Object.fromEntries(Object.entries(table).map(([name, def]) => [name, def.schema]));
  return z.object(shape) as z.ZodObject<{ [K in keyof T]: T[K]['schema'] }>;
}

/** Dollars as served: to the cent, without float noise (1000.9999999999891 is 1001). */
export function roundCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
