/**
 * Request metrics for GET /metrics: every HTTP request by route, method, status and outcome, and
 * every GraphQL operation by name, type and outcome, each with a latency histogram.
 *
 * Labels stay bounded: a route is one of the gateway's paths or `other`; an operation is named if
 * it is a persisted operation, or one of the first `maxOperationNames` names seen, else `other`
 * (anonymous ones are `anonymous`), so a client inventing names cannot grow the scrape.
 * Outcomes: `ok`; `error` (executed, with errors); `rejected` (refused before execution: a
 * document that does not parse or validate, an abuse limit, an unknown persisted id).
 */
import { getOperationAST, parse, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../../monitoring/metrics';

type Outcome = 'ok' | 'error' | 'rejected';

interface OperationState {
  started: number;
  name: string;
  type: string;
  executed: boolean;
  errors: boolean;
}

export interface RequestMetricsOptions {
  metrics: Pick<GatewayMetrics, 'httpRequests' | 'httpDuration' | 'graphqlOperations' | 'graphqlDuration'>;
  /** Paths counted under their own name; any other is `other`. */
  routes: string[];
  /** Operation names always counted under their own name (persisted operations). @default [] */
  knownOperations?: Iterable<string>;
  /** Other names that get a label of their own, first come. @default 50 */
  maxOperationNames?: number;
}

/** The operation names in GraphQL documents (a persisted-operations manifest); unparsable ones are skipped. */
export function operationNamesOf(documents: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const text of documents) {
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch {
      continue; // refused when a client sends it; nothing to name
    }
    for (const d of document.definitions) if (d.kind === 'OperationDefinition' && d.name) names.add(d.name.value);
  }
  return [...names];
}

const hasErrors = (result: unknown) => Boolean((result as ExecutionResult | undefined)?.errors?.length);
const seconds = (since: number) => (performance.now() - since) / 1000;

export function useRequestMetrics(options: RequestMetricsOptions): Plugin {
  const { metrics, maxOperationNames = 50 } = options;
  const routes = new Set(options.routes);
  const known = new Set(options.knownOperations ?? []);
  const named = new Set<string>();
  const requestStarted = new WeakMap<Request, number>();
  // Keyed by the context object Yoga hands to the operation and to every envelop hook of it.
  const operations = new WeakMap<object, OperationState>();

  function operationLabel(name: string | undefined): string {
    if (!name) return 'anonymous';
    if (known.has(name) || named.has(name)) return name;
    if (named.size < maxOperationNames) {
      named.add(name);
      return name;
    }
    return 'other';
  }

  function describe(state: OperationState, document: DocumentNode, operationName: string | null | undefined): void {
    const operation = getOperationAST(document, operationName);
    state.type = operation?.operation ?? 'unknown';
    state.name = operationLabel(operation?.name?.value);
  }

  function finish(state: OperationState, outcome: Outcome): void {
    const labels = { operation: state.name, type: state.type, outcome };
    metrics.graphqlOperations.inc(labels);
    metrics.graphqlDuration.observe(labels, seconds(state.started));
  }

  const outcomeOf = (state: OperationState): Outcome => (!state.executed ? 'rejected' : state.errors ? 'error' : 'ok');
  const newState = (): OperationState => ({ started: performance.now(), name: 'unknown', type: 'unknown', executed: false, errors: false });

  return {
    instrumentation: {
      // Wraps everything, including the plugins that answer early (health, GraphiQL, auth, rate limit).
      request({ request }, wrapped) {
        requestStarted.set(request, performance.now());
        return wrapped();
      },
      // An HTTP operation: from its parameters to its (first) result, whatever refused it on the way.
      async operation({ context }, wrapped) {
        const state = newState();
        operations.set(context, state);
        try {
          await wrapped();
          finish(state, outcomeOf(state));
        } catch (err) {
          finish(state, 'rejected');
          throw err;
        }
      },
    },
    // Named as soon as it parses, so a document refused by validation is counted under its name.
    onParse({ context }) {
      return ({ result }) => {
        const state = operations.get(context);
        if (state && result && !(result instanceof Error)) describe(state, result as DocumentNode, context.params?.operationName);
      };
    },
    onExecute({ args }) {
      return executed(args.contextValue as object, args.document, args.operationName);
    },
    onSubscribe({ args }) {
      return subscribed(args.contextValue as object, args.document, args.operationName);
    },
    onExecutionResult({ context, result }) {
      const state = operations.get(context);
      if (state && result && !(Symbol.asyncIterator in result) && hasErrors(result)) state.errors = true;
    },
    onResponse({ request, response }) {
      const started = requestStarted.get(request);
      if (started === undefined) return;
      const path = new URL(request.url, 'http://localhost').pathname;
      const route = routes.has(path) ? path : 'other';
      const method = ['GET', 'POST', 'HEAD', 'OPTIONS'].includes(request.method) ? request.method : 'other';
      const outcome: Outcome = response.status >= 500 ? 'error' : response.status >= 400 ? 'rejected' : 'ok';
      metrics.httpRequests.inc({ route, method, status: String(response.status), outcome });
      metrics.httpDuration.observe({ route, method, outcome }, seconds(started));
    },
  };

  /** An execution: HTTP ones are finished by the operation instrumentation, graphql-ws ones here. */
  function executed(context: object, document: DocumentNode, operationName?: string | null) {
    let state = operations.get(context);
    const overWebSocket = !state;
    if (!state) {
      state = newState();
      describe(state, document, operationName);
      operations.set(context, state);
    }
    state.executed = true;
    const own = state;
    return {
      onExecuteDone({ result }: { result: unknown }) {
        if (!(Symbol.asyncIterator in (result as object)) && hasErrors(result)) own.errors = true;
        if (overWebSocket) finish(own, outcomeOf(own));
      },
    };
  }

  function subscribed(context: object, document: DocumentNode, operationName?: string | null) {
    const { onExecuteDone } = executed(context, document, operationName);
    return { onSubscribeResult: ({ result }: { result: unknown }) => onExecuteDone({ result }) };
  }
}
