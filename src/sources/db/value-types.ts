/**
 * One mapping of Postgres column types to JS values, shared by both backends so callers see the
 * same types whether PGlite or node-postgres answers:
 * - int8 (bigint, `COUNT(*)`, `SUM(int)`) -> number (exact up to 2^53; our counts stay far below)
 * - numeric (money, ratios)              -> number
 * - int2/int4, float4/float8, bool       -> number / boolean (the drivers' defaults)
 * - timestamptz / timestamp               -> Date (the drivers' defaults)
 * - json / jsonb                          -> parsed value (the drivers' defaults)
 */
export const INT8_OID = 20;
export const NUMERIC_OID = 1700;

export function parseInt8(text: string): number {
  return Number(text);
}

export function parseNumeric(text: string): number {
  return Number(text);
}

/** Postgres identifiers we accept for `schema`: plain lower-case names, so quoting is trivial. */
export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Database schema name must match /^[a-z_][a-z0-9_]{0,62}$/, got ${JSON.stringify(schema)}`);
  }
  return schema;
}
