/**
 * The cost limit with the variables' values. graphql-armor's cost rule runs at validation, where
 * variables are unknown (and Yoga caches validation per document), so `mailboxes(first: $n)` costs
 * as if `first` were absent: 30 aliases of it with n = 1000 passed where the literal is refused.
 * Here, before execution, a document whose `first`/`last` take a variable is costed again by the
 * same armor rule with the variables' values written in: the same price, the same refusal.
 * Documents without such a variable (almost all) cost nothing extra.
 */
import {
  Kind, validate, visit,
  type DocumentNode, type ExecutionArgs, type ExecutionResult, type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { coercedOperation, refuseBeforeExecution } from './before-execution';
import { limitError } from './limit-error';

const SIZES = new Set(['first', 'last']);

/** Whether any `first`/`last` argument of the document takes a variable (cached per parsed document). */
function sizedByVariables(document: DocumentNode, seen: WeakMap<DocumentNode, boolean>): boolean {
  let known = seen.get(document);
  if (known === undefined) {
    known = false;
    visit(document, {
      Argument(node) {
        if (SIZES.has(node.name.value) && node.value.kind === Kind.VARIABLE) known = true;
      },
    });
    seen.set(document, known);
  }
  return known;
}

/** The executed operation (and the fragments) with each `first`/`last` variable replaced by its integer value. */
function withSizes(document: DocumentNode, operation: OperationDefinitionNode, values: Record<string, unknown>): DocumentNode {
  const only: DocumentNode = { ...document, definitions: document.definitions.filter((d) => d.kind !== Kind.OPERATION_DEFINITION || d === operation) };
  return visit(only, {
    Argument(node) {
      if (!SIZES.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
      const value = values[node.value.name.value];
      if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
      return { ...node, value: { kind: Kind.INT, value: String(value) } };
    },
  });
}

export function useVariableCost(options: { maxCost: number }): Plugin {
  const seen = new WeakMap<DocumentNode, boolean>();
  const rule = costLimitRule({
    maxCost: options.maxCost,
    ignoreIntrospection: true,
    propagateOnRejection: false,
    onReject: [(ctx, error) => ctx?.reportError(limitError('cost', error))],
  });

  return refuseBeforeExecution((args: ExecutionArgs): ExecutionResult | null => {
    if (!sizedByVariables(args.document, seen)) return null;
    const coerced = coercedOperation(args);
    if (!coerced) return null;
    const errors = validate(args.schema, withSizes(args.document, coerced.operation, coerced.variables), [rule]);
    return errors.length ? { errors } : null;
  });
}
