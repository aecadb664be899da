/**
 * The gateway: Yoga over the services, behind the response cache's front door (warm dashboard
 * answers from memory, ./response-cache.ts). One `handle` serves GraphQL (HTTP, SSE), GraphiQL,
 * /health, /ready, /metrics and the Email Bison webhook receiver. Tests call `gateway.fetch`
 * in-process; `src/main.ts` hands `handle` to node:http.
 */
import type { RequestListener } from 'node:http';
import { createYoga, maskError as defaultMaskError } from 'graphql-yoga';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import type { Config } from '../config';
import { systemClock, type Clock } from '../clock';
import { schema } from '../schema';
import type { GatewayContext, GatewayServices } from '../resolvers/context';
import { calendarFor } from '../resolvers/arithmetic/calendar';
import { createRequestData } from '../resolvers/request-data';
import { createLoaders } from '../sources/loaders';
import { silentLogger, type Logger } from '../monitoring/logger';
import type { Principal } from '../access';
import { createAuthenticator } from './auth';
import { createAuthFailureLimiter } from './auth-failures';
import { createServices, type ServiceOptions, type Services, type UpstreamTarget } from './services';
import { principalOf, useBearerAuth } from './plugins/use-bearer-auth';
import { useClientErrorCodes } from './plugins/use-client-error-codes';
import { useEmailBisonWebhooks, WEBHOOK_PATH } from './plugins/use-email-bison-webhooks';
import { useFreshnessExtension } from './plugins/use-freshness-extension';
import { useHealthEndpoints } from './plugins/use-health-endpoints';
import { useIntrospectionForAdmins } from './plugins/use-introspection-for-admins';
import { useLandingPage } from './plugins/use-landing-page';
import { useMetricsEndpoint } from './plugins/use-metrics-endpoint';
import { useArgumentRanges } from './plugins/use-argument-ranges';
import { loadPersistedOperations, usePersistedOperations } from './plugins/use-persisted-operations';
import { useQueryLimits } from './plugins/use-query-limits';
import { useRequestLog } from './plugins/use-request-log';
import { createSubscriptionDrain } from './plugins/use-subscription-drain';
import { operationNamesOf, useRequestMetrics } from './plugins/use-request-metrics';
import { useTracing } from './plugins/use-tracing';
import { tracingOff } from '../monitoring/tracing';
import { createTokenRateLimiter, useTokenRateLimit } from './plugins/use-token-rate-limit';
import { createFrontDoor, createResponseCache } from './response-cache';
import { primeResources } from './prime';
import { createGatewayEvents, type GatewayEvents } from './events';
import type { WebSocketTarget } from './ws';
import { createHealthMonitor } from '../monitoring/alerts';
import { startRetention } from '../monitoring/retention';
import { createReadinessCheck } from '../monitoring/readiness';

export const GRAPHQL_PATH = '/graphql';

/** A CLIENT of no workspace: sees no client, so a query for it makes no upstream call. */
const NOBODY: Principal = { role: 'CLIENT', tokenId: null, workspaceId: -1 };

/**
 * Runs the KPI query once through a bare Yoga over the same schema, in-process, for a principal that
 * sees no client: the request pipeline's code (whatwg-node, Yoga, graphql-js, the resolvers, the
 * business calendar's formatter) is then compiled before the first real request, which otherwise
 * pays ~40-80 ms before its first upstream call leaves. No plugin of the gateway's own Yoga runs:
 * nothing is logged, counted or cached.
 */
async function warmRequestPipeline(context: () => GatewayContext, clock: Clock): Promise<void> {
  const warm = createYoga<Record<string, unknown>, GatewayContext>({
    schema, graphqlEndpoint: GRAPHQL_PATH, logging: false, graphiql: false, landingPage: false,
    context, plugins: [useFreshnessExtension(clock), useDeferStream()],
  });
  const response = await warm.fetch(`http://warm-up${GRAPHQL_PATH}`, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: DEFAULT_QUERY }),
  });
  // An error without a path came before execution (the GraphiQL default query does not parse or
  // validate): a bug. What executing it gives does not matter (e.g. the database down at start).
  const { errors } = (await response.json()) as { errors?: { message: string; path?: unknown }[] };
  const early = errors?.find((e) => e.path === undefined);
  if (early) throw new Error(`the start-up warm-up (GraphiQL's default query) failed before execution: ${early.message}`);
}
/** The paths the gateway serves: named in metrics and span names (anything else is `other`, or the method only). */
const ROUTES = ['/', GRAPHQL_PATH, '/health', '/ready', '/metrics', WEBHOOK_PATH];

function describeError(error: unknown): string {
  const original = (error as { originalError?: unknown }).originalError ?? error;
  return original instanceof Error ? `${original.name}: ${original.message}\n${original.stack ?? ''}` : String(original);
}

export interface GatewayOptions extends Pick<ServiceOptions, 'dbSchema' | 'cachePrefix' | 'retry' | 'cache' | 'recorder' | 'tracing'> {
  config: Config;
  upstream: UpstreamTarget;
  clock?: Clock;
  logger?: Logger;
  /** Demo mode: prefill GraphiQL's Authorization header with this token. */
  graphiqlToken?: string | null;
  /** How often the health monitor checks (alerts, `healthChanged`). @default 15_000 */
  healthCheckIntervalMs?: number;
  /** How long the alert lease lasts unrenewed: a dead alerting replica is replaced within 4/3 of it. @default 20_000 */
  alertLeaseMs?: number;
  /** How often a subscription checks whether what it shows aged into a new state. @default 1000 */
  subscriptionTickMs?: number;
}

export interface Gateway {
  /** Fetch-API handler for in-process use (tests): always executes (the response cache's front door is node:http only). */
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Node http handler: the response cache's front door (./response-cache.ts), then Yoga. */
  handle: RequestListener;
  services: Services;
  /** What src/server/ws.ts needs to serve graphql-ws on the same path (`attachWebSockets`). */
  webSockets: WebSocketTarget;
  /** Subscription events (publish, subscribe, listener counts). */
  events: GatewayEvents;
  /** Starts background work: refresh-ahead, priming the caches. */
  start(): Promise<void>;
  /**
   * Shutdown begins: /ready answers 503 from now on, open subscriptions complete (a proper close
   * for SSE and graphql-ws clients) and new ones are refused. Requests in flight go on.
   */
  drain(): void;
  /** Stops background work, waits for upstream calls in flight, flushes monitoring, closes stores. Never rejects. */
  close(): Promise<void>;
}

const DEFAULT_QUERY = `# Every request needs "Authorization: Bearer <token>" (see the Headers tab).
query Kpi {
  kpi {
    freshness { state origin ageSeconds message }
    totals { clients leadsGenerated monthlyKpi currentProgress clientsAbove clientsOnTrack clientsBelow }
    clients { workspaceId name leadsGenerated monthlyKpi projectedReplies status freshness { state ageSeconds } }
    errors { workspaceId code message }
  }
}
`;

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, tracing = tracingOff } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const services = await createServices({ ...options, clock, logger });
  const authenticate = createAuthenticator(config.adminToken, services.tokens);
  const authFailures = createAuthFailureLimiter({ perMinute: config.limits.authFailuresPerMinute, clock });
  const { trustProxyHops } = config.limits;
  const persisted = config.persistedOperations.file ? loadPersistedOperations(config.persistedOperations.file) : null;

  const events = createGatewayEvents({
    redisUrl: config.redisUrl, channelPrefix: options.cachePrefix ?? 'bison-gateway',
    redisTimeoutMs: config.redisTimeoutMs, registry: services.metrics.registry,
  });
  // Every cache change (refresh landed, turned stale, fell back to stale data or errored) is an event.
  const stopForwarding = services.cache.onChange(({ resource, key, meta }) =>
    events.pubsub.publish('freshness', { key, kind: resource.kind, workspaceId: meta.workspaceId, meta }));
  // One periodic health check drives alerts (ALERT_WEBHOOK_URL) and `healthChanged` subscribers.
  // Every replica reads health; only the holder of the alert lease sends (src/monitoring/alert-lease.ts).
  const healthMonitor = createHealthMonitor({
    db: services.db, webhookUrl: config.alertWebhookUrl, clock, logger, instanceId: services.instanceId,
    intervalMs: options.healthCheckIntervalMs ?? 15_000, leaseMs: options.alertLeaseMs,
  });
  healthMonitor.onHealthChange((h) => events.pubsub.publish('health', { score: Math.round(h.score), status: h.status }));
  // While Redis does not answer, the replicas live in Postgres count too (src/sources/replicas.ts).
  services.replicas?.usePostgresCount(() => healthMonitor.current()?.runtime.liveInstances ?? null);
  let stopRetention: (() => void) | null = null;
  let draining = false;
  const subscriptions = createSubscriptionDrain();
  const checkReadiness = createReadinessCheck({
    pingDatabase: () => services.db.query('SELECT 1'),
    heldFetchTimes: () => services.store.heldFetchTimes(),
    sharedFetchTimes: async () => (await services.cache.entries()).map((e) => e.fetchedAt),
    redisReachable: () => (config.redisUrl ? services.store.health().reachable && events.redisReachable() !== false : null),
    openBreakers: () => services.breakers.snapshot().filter((b) => b.state === 'open').length,
    draining: () => draining,
    servableForMs: config.staleIfErrorSeconds * 1000,
    upstreamUrl: options.upstream.url,
    clock,
  });

  // The response cache (./response-cache.ts): any change to what an answer read drops it, here
  // at once and on the other replicas through the events (Redis pub/sub).
  const limiter = createTokenRateLimiter({
    perMinute: config.limits.ratePerMinute, clock, logger,
    // One count per token for the whole cluster through Redis; without it, this replica's share.
    shared: services.buckets,
    liveReplicas: () => services.replicas?.count() ?? null,
  });
  const answers = createResponseCache({ maxEntries: config.responseCache.maxEntries });
  services.metrics.setResponseCacheSizeSource(() => answers.size());
  let clearAnnounced = false;
  const stopAnswerHooks = [
    services.cache.onChange(({ key }) => answers.invalidate(key)),
    services.cache.onAltered((key, cause) => {
      answers.invalidate(key);
      // A clear here (one call clears many keys): the other replicas drop every answer, once.
      if (cause !== 'cleared' || clearAnnounced) return;
      clearAnnounced = true;
      queueMicrotask(() => {
        clearAnnounced = false;
        events.pubsub.publish('answers', { changed: 'cache' });
      });
    }),
    services.directory.onInvalidate(() => answers.invalidateAll()),
    services.onRegistryWrite(() => events.pubsub.publish('answers', { changed: 'registry' })),
    // Other replicas' changes (and this one's again: harmless).
    events.listen('freshness', ({ key }) => answers.invalidate(key)),
    events.listen('answers', ({ changed }) => {
      if (changed === 'registry') services.directory.invalidate(); // drops every answer too
      else answers.invalidateAll();
    }),
  ];

  const resolverServices: GatewayServices = {
    config,
    clock,
    freshness: services.freshness,
    registry: services.registry,
    tokens: services.tokens,
    cache: services.cache,
    observer: services.observer,
    mailboxes: services.mailboxes,
    health: (workspaceId) => services.health(workspaceId),
    breakers: () => services.breakers.snapshot(),
    tickMs: options.subscriptionTickMs ?? 1_000,
    events: { subscribe: (topic) => events.subscribe(topic) },
  };

  function contextFor(principal: Principal): GatewayContext {
    const now = clock.now();
    // (the request data judges freshness at `now` too)
    return {
      principal,
      now,
      calendar: calendarFor(now, config.timeZone),
      deadline: performance.now() + config.requestDeadlineMs,
      services: resolverServices,
      data: createRequestData({
        loaders: createLoaders(services.cache),
        freshness: services.freshness,
        clients: () => services.directory.visible(principal),
        now,
      }),
      renew: () => contextFor(principal),
    };
  }

  const frontDoor = config.responseCache.enabled && !tracing.enabled
    ? createFrontDoor({
      cache: answers,
      yoga: (req, res) => yoga(req, res),
      clock,
      graphqlEndpoint: GRAPHQL_PATH,
      maxBodyBytes: config.limits.maxBodyBytes,
      authenticate,
      failures: authFailures,
      trustProxyHops,
      limiter,
      metrics: services.metrics,
      logger,
      serving: () => !config.redisUrl || services.store.health().reachable,
    })
    : null;

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // /health and /ready are ours (plugins/use-health-endpoints.ts); Yoga's own empty 200 moves aside.
    healthCheckEndpoint: '/health/yoga',
    landingPage: false,
    // Content-length checked before reading, then a streaming cap: 413 REQUEST_ENTITY_TOO_LARGE.
    maxRequestBodySize: config.limits.maxBodyBytes,
    logging: false,
    // Unexpected errors reach the client as "Unexpected error." only; the log keeps the cause
    // (scrubbed of secrets by the logger) so an operator can find it.
    maskedErrors: {
      maskError: (error, message) => {
        const masked = defaultMaskError(error, message);
        if (masked !== error) logger.error({ err: describeError(error) }, 'unexpected error while executing a GraphQL operation');
        return masked;
      },
    },
    graphiql: {
      title: 'bison-gateway',
      defaultQuery: DEFAULT_QUERY,
      headers: options.graphiqlToken ? JSON.stringify({ Authorization: `Bearer ${options.graphiqlToken}` }) : undefined,
      subscriptionsProtocol: 'WS', // src/server/ws.ts; SSE works for every other client
    },
    // GraphiQL's page carries a 9 MB script: loaded on the first visit, not held by every
    // process that never shows it (about 25 MB of heap; `bench/RESULTS.md`, B5).
    renderGraphiQL: async (graphiql) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiql),
    context: ({ request, principal: overWebSocket }) => {
      // graphql-ws (src/server/ws.ts) authenticates the connection and passes the principal in.
      const principal = (overWebSocket as Principal | undefined) ?? principalOf(request);
      if (!principal) throw new Error('unauthenticated request reached GraphQL'); // the auth plugin answers 401 first
      return contextFor(principal);
    },
    plugins: [
      ...(tracing.enabled ? [useTracing({ tracing, routes: ROUTES })] : []),
      // First: its 304 is what the request log and metrics then see.
      ...(frontDoor ? [frontDoor.plugin] : []),
      useRequestLog(logger),
      useRequestMetrics({ metrics: services.metrics, routes: ROUTES, knownOperations: persisted ? operationNamesOf(persisted.values()) : [] }),
      useBearerAuth({ authenticate, graphqlEndpoint: GRAPHQL_PATH, failures: authFailures, trustProxyHops, verified: frontDoor?.verified }),
      // Abuse limits, cheapest first: codes for client mistakes, the per-token rate, persisted
      // operations, then what one document may ask.
      useClientErrorCodes(),
      useTokenRateLimit({ limiter, graphqlEndpoint: GRAPHQL_PATH }),
      ...(persisted ? [usePersistedOperations({ operations: persisted, only: config.persistedOperations.only })] : []),
      // Before the query limits: `first: 100000` is refused naming its maximum, not the cost limit.
      useArgumentRanges(),
      ...useQueryLimits(config.limits, { production: config.env === 'production' }),
      useIntrospectionForAdmins({ production: config.env === 'production' }),
      useEmailBisonWebhooks({
        secret: config.webhookSecret,
        target: services.cache,
        onEvent: (type, workspaceId) => logger.debug({ type, workspaceId }, 'webhook'),
      }),
      useMetricsEndpoint(services.metrics),
      useLandingPage({ graphqlEndpoint: GRAPHQL_PATH }),
      useHealthEndpoints({ checkReadiness, draining: () => draining }),
      subscriptions.plugin,
      useFreshnessExtension(clock),
      useDeferStream(),
    ],
  });

  await warmRequestPipeline(() => contextFor(NOBODY), clock);

  return {
    fetch: (input, init) => Promise.resolve(yoga.fetch(input as string, init ?? {})),
    handle: frontDoor ? frontDoor.handle : (yoga as unknown as RequestListener),
    services,
    webSockets: { yoga, authenticate, draining: () => draining, failures: authFailures, trustProxyHops },
    events,
    async start() {
      services.start(); // discovery every interval, api-user keys for clients without one
      services.cache.start();
      healthMonitor.start();
      stopRetention = startRetention(services.db, { clock, logger });
      void primeResources(services, config, clock, logger, () => draining);
    },
    drain() {
      draining = true;
      subscriptions.endAll();
    },
    async close() {
      draining = true;
      subscriptions.endAll();
      await healthMonitor.close(); // another replica takes the alerts over at once
      stopRetention?.();
      stopForwarding();
      for (const stop of stopAnswerHooks) stop();
      await events.close();
      await services.close();
    },
  };
}
