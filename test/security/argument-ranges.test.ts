/**
 * use-argument-ranges refuses an out-of-range argument before the plugins after it: the query
 * limits' cost rule at validation (literals) and a cost check priced with the variables before
 * execution (the shape issue 14 gives the cost limit). A stand-in for those plugins would refuse
 * every size above 5, so its message appearing proves it ran, and its absence that it did not.
 */
import { GraphQLError, GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, Kind, type ValidationRule } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useArgumentRanges } from '../../src/server/plugins/use-argument-ranges';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      items: {
        type: new GraphQLList(GraphQLInt),
        args: { first: { type: GraphQLInt, extensions: { range: { min: 0, max: 10 } } }, skip: { type: GraphQLInt } },
        resolve: (_root, { first }) => Array.from({ length: first ?? 1 }, (_, i) => i),
      },
    },
  }),
});

/**
 * A cost limit of 5 items: at validation for a literal `first` (as graphql-armor prices it), and
 * before execution for a `first` given as a variable (as the variable-priced check does).
 */
function costLimitStandIn(): Plugin {
  const rule: ValidationRule = (ctx) => ({
    Argument(node) {
      if (node.name.value === 'first' && node.value.kind === Kind.INT && Number(node.value.value) > 5) ctx.reportError(new GraphQLError('Query Cost limit of 5 exceeded'));
    },
  });
  return {
    onValidate: ({ addValidationRule }) => addValidationRule(rule),
    onExecute: ({ args, setResultAndStopExecution }) => {
      const n = (args.variableValues as { n?: number } | undefined)?.n;
      if (typeof n === 'number' && n > 5) setResultAndStopExecution({ errors: [new GraphQLError('Query Cost limit of 5 exceeded, priced with the variables')] });
    },
  };
}

const yoga = createYoga({ schema, plugins: [useArgumentRanges(), costLimitStandIn()], maskedErrors: false, logging: false });
const ask = async (query: string, variables?: Record<string, unknown>) =>
  (await yoga.fetch('http://x/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json();

describe('use-argument-ranges', () => {
  it('a literal out of range is the only error: the cost rule after it does not run', async () => {
    const res = await ask('{ items(first: 100) }');
    expect(res.errors.map((e: any) => e.message)).toEqual(['Invalid first: may be at most 10, got 100']);
    expect(res.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect((await ask('{ items(first: -3) }')).errors[0].message).toBe('Invalid first: may not be less than 0, got -3');
  });

  it('a variable out of range is refused before a variable-priced cost check', async () => {
    const res = await ask('query($n: Int) { items(first: $n) }', { n: 1000 });
    expect(res.errors.map((e: any) => e.message)).toEqual(['Invalid first: may be at most 10, got 1000']);
  });

  it('in range, the plugins after it run as before', async () => {
    expect((await ask('{ items(first: 8) }')).errors.map((e: any) => e.message)).toEqual(['Query Cost limit of 5 exceeded']);
    expect((await ask('query($n: Int) { items(first: $n) }', { n: 8 })).errors.map((e: any) => e.message)).toEqual(['Query Cost limit of 5 exceeded, priced with the variables']);
    expect(await ask('query($n: Int, $s: Int) { items(first: $n, skip: $s) }', { n: 3, s: 1 })).toEqual({ data: { items: [0, 1, 2] } });
  });
});
