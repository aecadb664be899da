/**
 * Dashboard rows are plain objects computed in src/resolvers; their fields are declared once in a
 * field table beside the arithmetic (src/resolvers/arithmetic/fields.ts). `exposeFields` turns a
 * table into Pothos fields: same names, scalars, nullability and descriptions; money is served
 * rounded to cents.
 */
import { roundCents, type FieldTable } from '../resolvers/arithmetic/fields';

// Pothos' field builder is generic over the parent shape; this helper only uses these two methods.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFieldBuilder = { expose: (name: any, options: any) => any; field: (options: any) => any };

export function exposeFields<T extends AnyFieldBuilder>(t: T, table: FieldTable): Record<string, ReturnType<T['expose']>> {
  const fields: Record<string, ReturnType<T['expose']>> = {};
  for (const [name, def] of Object.entries(table)) {
    const options = { type: def.scalar, nullable: def.nullable, description: def.description };
    fields[name] = def.money
      ? t.field({ ...options, resolve: (row: Record<string, number | null>) => (row[name] === null ? null : roundCents(row[name]!)) })
      : t.expose(name, options);
  }
  return fields;
}
