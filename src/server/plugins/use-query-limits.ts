/**
 * What one request may ask (graphql-armor: depth, aliases, tokens, directives, cost; field
 * suggestions hidden in production). Every refusal happens before execution (most before
 * parsing), says which limit was hit and carries `extensions.code = BAD_USER_INPUT`.
 */
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { Config } from '../../config';
import { limitError, type Limit } from './limit-error';
import { useVariableCost } from './use-variable-cost';

export type Limits = Config['limits'];

/** Validation rules report into the context (all problems in one answer); the parser must throw. */
function reportTo(limit: Limit) {
  return {
    propagateOnRejection: false,
    onReject: [(ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(limitError(limit, error))],
  };
}

/**
 * graphql-armor with our limits. Introspection is exempt from depth and cost (GraphiQL and codegen
 * need it). Armor's cost weights fields by depth and multiplies a selection by a literal `first`:
 * a dashboard operation costs 60-140, one full page of 1,000 mailboxes with ten fields about 82,000.
 * The default limit (100,000) lets that page through and refuses aliased copies of it; a `first`
 * given as a variable is priced the same way before execution (./use-variable-cost.ts).
 */
export function useQueryLimits(limits: Limits, options: { production: boolean }): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...reportTo('depth') },
    maxAliases: { n: limits.maxAliases, ...reportTo('aliases') },
    maxDirectives: { n: 20, ...reportTo('directives') },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, ...reportTo('cost') },
    maxTokens: {
      n: limits.maxTokens,
      propagateOnRejection: false,
      // Parsing has no context to report into: stop the parser at the first token over the limit.
      onReject: [(_ctx, error) => { throw limitError('tokens', error); }],
    },
    // "Did you mean ...?" would map the schema for a prober; developers have GraphiQL and schema.graphql.
    blockFieldSuggestion: { enabled: options.production },
  });
  return [...(armor.protect().plugins as Plugin[]), useVariableCost({ maxCost: limits.maxCost })];
}
