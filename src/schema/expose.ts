/**
 * Dashboard rows are plain objects computed in src/resolvers; their GraphQL fields are the same
 * names. `expose` declares many scalar fields at once from a spec of type and description, so a
 * row type reads as its list of fields instead of repeated boilerplate.
 */
type Scalar = 'Int' | 'Float' | 'String' | 'Boolean';
/** `'Int'` = non-null Int; `'Float?'` = nullable Float. */
export type FieldSpec = Record<string, [type: Scalar | `${Scalar}?`, description?: string]>;

// Pothos' field builder is generic over the parent shape; this helper only uses `expose`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFieldBuilder = { expose: (name: any, options: any) => any };

export function expose<T extends AnyFieldBuilder>(t: T, spec: FieldSpec): Record<string, ReturnType<T['expose']>> {
  const fields: Record<string, ReturnType<T['expose']>> = {};
  for (const [name, [type, description]] of Object.entries(spec)) {
    const nullable = type.endsWith('?');
    fields[name] = t.expose(name, { type: nullable ? type.slice(0, -1) : type, nullable, description });
  }
  return fields;
}
