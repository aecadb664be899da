/**
 * What the checks that need a request's variables share (page sizes, the cost priced with the
 * variables): the executed operation with its variables coerced as execution will see them, and
 * the hooks that refuse a query, mutation or subscription before it runs.
 */
import { getOperationAST, getVariableValues, type ExecutionArgs, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface CoercedOperation {
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
}

/**
 * The operation about to run and its coerced variables; null when it declares none, or when they
 * do not coerce (execution then refuses them with its own errors).
 */
export function coercedOperation(args: ExecutionArgs): CoercedOperation | null {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation?.variableDefinitions?.length) return null;
  const coerced = getVariableValues(args.schema, operation.variableDefinitions, (args.variableValues ?? {}) as Record<string, unknown>);
  return coerced.errors ? null : { operation, variables: coerced.coerced };
}

/** onExecute and onSubscribe hooks that answer `refusal(args)` instead of running, when it gives one. */
export function refuseBeforeExecution(refusal: (args: ExecutionArgs) => ExecutionResult | null): Pick<Plugin, 'onExecute' | 'onSubscribe'> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}
