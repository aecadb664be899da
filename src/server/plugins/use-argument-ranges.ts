/**
 * Arguments that declare the values they accept (`extensions.range` on the argument, e.g. a
 * connection's `first` and `last`: 0 to 1000) are checked before anything else looks at the
 * document, so `first: 100000` answers "Invalid first: may be at most 1000, got 100000" instead of
 * tripping the cost limit, whose message says nothing about the page size.
 *
 * Literals are checked at validation: a refusal there is the whole validation result (the other
 * rules, graphql-armor's cost rule among them, do not run). Values given as variables are checked
 * before execution (and before a subscription starts); this plugin must come before any plugin
 * that prices the document with its variables then, since the first refusal ends execution.
 */
import {
  GraphQLError, Kind, TypeInfo, visit, visitWithTypeInfo,
  type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { outOfRange, type ArgumentRange } from '../../resolvers/errors';
import { coercedOperation, refuseBeforeExecution } from './before-execution';

interface RangedArguments {
  /** Refusals of literal values (`first: 100000`). */
  literals: GraphQLError[];
  /** Ranged arguments fed by a variable: checked against each request's values. */
  variables: { argument: string; variable: string; range: ArgumentRange }[];
}

function analyse(schema: GraphQLSchema, document: DocumentNode): RangedArguments {
  const found: RangedArguments = { literals: [], variables: [] };
  const typeInfo = new TypeInfo(schema);
  visit(document, visitWithTypeInfo(typeInfo, {
    Argument(node) {
      const range = (typeInfo.getArgument()?.extensions as { range?: ArgumentRange } | undefined)?.range;
      if (!range) return;
      if (node.value.kind === Kind.VARIABLE) {
        found.variables.push({ argument: node.name.value, variable: node.value.name.value, range });
      } else if (node.value.kind === Kind.INT) {
        const refused = outOfRange(node.name.value, Number(node.value.value), range);
        if (refused) found.literals.push(new GraphQLError(refused.message, { nodes: node, extensions: refused.extensions }));
      }
    },
  }));
  return found;
}

export function useArgumentRanges(): Plugin {
  // Yoga's parser cache hands out the same DocumentNode for the same query text: analyse it once.
  const analysed = new WeakMap<DocumentNode, RangedArguments>();
  const rangedIn = (schema: GraphQLSchema, document: DocumentNode) => {
    let found = analysed.get(document);
    if (!found) analysed.set(document, (found = analyse(schema, document)));
    return found;
  };

  function refusal(args: ExecutionArgs): ExecutionResult | null {
    const ranged = rangedIn(args.schema, args.document).variables;
    const coerced = ranged.length ? coercedOperation(args) : null;
    if (!coerced) return null;
    const errors = ranged.flatMap(({ argument, variable, range }) => {
      const value = coerced.variables[variable];
      const refused = typeof value === 'number' ? outOfRange(argument, value, range) : null;
      return refused ? [refused] : [];
    });
    return errors.length ? { errors } : null;
  }

  return {
    onValidate({ params, setResult }) {
      const { literals } = rangedIn(params.schema, params.documentAST);
      if (literals.length) setResult(literals);
    },
    ...refuseBeforeExecution(refusal),
  };
}
