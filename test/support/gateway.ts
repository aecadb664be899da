/**
 * One harness for gateway-level tests: a simulator and a gateway wired together in-process,
 * optionally on a ManualClock, on PGlite or the real Postgres, with the memory or Redis cache.
 *
 *   const t = await createTestGateway({ clock: new ManualClock('2026-11-20T12:00:00Z') });
 *   const { body } = await t.query('{ kpi { totals { clients } } }');
 *   t.sim.world.window(12, '2026-11-01', '2026-11-20');   // the truth
 *   await t.close();
 *
 * GraphQL goes through `gateway.fetch` (no port). The simulator is a real HTTP server on a random
 * port. Demo clients are seeded with one api-user key each unless `superAdminOnly` (no keys, minting
 * off: every call goes through the super-admin key). `realInstance` wires the gateway as for an
 * agency's own Email Bison: only the super-admin key, an ENCRYPTION_KEY, no seeded clients, so
 * discovery registers the workspaces and the gateway mints their api-user keys.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ManualClock, type Clock } from '../../src/clock';
import { loadConfig, type Config } from '../../src/config';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway';
import { listen, type Listening } from '../../src/server/http';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';
import { dropSchema } from '../../src/sources/db';
import { TEST_DATABASE_URL, type BackendKind } from './databases';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const FAST_RETRY = { minDelayMs: 5, maxDelayMs: 20, deadlineMs: 5_000 };
/** Replicas of one test deployment must share it (the stored keys are encrypted with it). */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 13).toString('base64');

export interface TestGatewayOptions {
  /** Shared by simulator and gateway; default: a ManualClock at 2026-11-20T12:00:00Z. */
  clock?: Clock;
  sim?: SimulatorOptions;
  /** Use an already running simulator (e.g. two gateways on one upstream). */
  simulator?: Simulator;
  /** Extra environment for loadConfig (BUSINESS_TIMEZONE, CACHE_TTL_..., ...). */
  env?: Record<string, string>;
  database?: BackendKind;
  cache?: 'memory' | 'redis';
  /** Share this schema / prefix with another test gateway (replicas). */
  dbSchema?: string;
  cachePrefix?: string;
  /** Register the clients without api-user keys and mint none: every call goes through the super-admin key. */
  superAdminOnly?: boolean;
  /** Only the super-admin key and ENCRYPTION_KEY, nothing seeded: discovery and minting as on a real instance. */
  realInstance?: boolean;
  /**
   * Serve the gateway on node:http (a random port) and send GraphQL there instead of through
   * `gateway.fetch`: the response cache's front door (src/server/response-cache.ts) is only there.
   */
  http?: boolean;
  gateway?: Partial<Pick<GatewayOptions, 'retry' | 'cache' | 'recorder' | 'logger' | 'healthCheckIntervalMs' | 'alertLeaseMs' | 'subscriptionTickMs' | 'tracing'>>;
}

export interface GraphQLAnswer<T = any> {
  status: number;
  body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[]; extensions?: Record<string, any> };
}

export interface TestGateway {
  gateway: Gateway;
  sim: Simulator;
  clock: Clock;
  config: Config;
  dbSchema: string | undefined;
  cachePrefix: string;
  query<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null, headers?: Record<string, string>): Promise<GraphQLAnswer<T>>;
  /** POST /graphql with this body as it is (over HTTP with `http: true`), the raw response. */
  post(body: string, headers?: Record<string, string | undefined>): Promise<Response>;
  /** The node:http server's URL with `http: true`, else null. */
  url: string | null;
  /** Upstream calls the simulator counted for an endpoint template, e.g. 'GET /api/workspaces/v1.1/stats'. */
  upstreamCalls(endpoint?: string): number;
  close(): Promise<void>;
}

export const DEFAULT_NOW = '2026-11-20T12:00:00Z';

export async function createTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const clock = options.clock ?? new ManualClock(DEFAULT_NOW);
  const ownSim = !options.simulator;
  const sim = options.simulator ?? (await startSimulator({ clock, seed: 'test', rateLimit: false, ...options.sim }));
  const database = options.database ?? 'pglite';
  const dbSchema = database === 'postgres' ? (options.dbSchema ?? `gw_${randomUUID().replace(/-/g, '').slice(0, 12)}`) : undefined;
  const cachePrefix = options.cachePrefix ?? `bgw-test:${randomUUID().slice(0, 8)}`;
  const config: Config = {
    ...loadConfig({
      UPSTREAM_RATE_PER_MINUTE: '100000',
      UPSTREAM_BURST: '1000',
      ...(database === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL } : {}),
      ...(options.cache === 'redis' ? { REDIS_URL } : {}),
      ...(options.realInstance ? { ENCRYPTION_KEY: TEST_ENCRYPTION_KEY } : {}),
      ...(options.superAdminOnly ? { EMAIL_BISON_MINT_KEYS: 'false' } : {}),
      ...options.env,
    }),
    adminToken: ADMIN_TOKEN,
  };
  const gateway = await createGateway({
    config,
    clock,
    dbSchema,
    cachePrefix,
    upstream: {
      url: sim.url,
      superAdminKey: sim.superAdminKey,
      ...(options.realInstance ? {} : { demoApiKeys: options.superAdminOnly ? new Map() : sim.apiKeys }),
    },
    retry: FAST_RETRY,
    ...options.gateway,
  });

  const server: Listening | null = options.http ? await listen(gateway.handle, 0, '127.0.0.1', { keepAliveTimeoutMs: config.keepAliveTimeoutMs }) : null;
  const post = (body: string, extra: Record<string, string | undefined> = {}) => {
    const merged: Record<string, string | undefined> = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}`, ...extra };
    const headers = Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
    const init = { method: 'POST', headers, body };
    return server ? fetch(`${server.url}/graphql`, init) : gateway.fetch('http://gateway.test/graphql', init);
  };

  async function query<T>(q: string, variables?: Record<string, unknown>, token: string | null = ADMIN_TOKEN, extra: Record<string, string> = {}): Promise<GraphQLAnswer<T>> {
    const headers: Record<string, string | undefined> = { 'content-type': 'application/json', ...extra };
    headers.authorization = token ? `Bearer ${token}` : undefined;
    const res = await post(JSON.stringify({ query: q, variables }), headers);
    return { status: res.status, body: await res.json() };
  }

  return {
    gateway, sim, clock, config, dbSchema, cachePrefix, query, post, url: server?.url ?? null,
    upstreamCalls(endpoint) {
      const counters = sim.control.counters();
      if (!endpoint) return Object.values(counters.byEndpoint as Record<string, number>).reduce((a, b) => a + b, 0);
      return (counters.byEndpoint as Record<string, number>)[endpoint] ?? 0;
    },
    async close() {
      await server?.close();
      await gateway.close();
      if (ownSim) await sim.close();
      if (dbSchema && !options.dbSchema) await dropSchema(TEST_DATABASE_URL, dbSchema);
      if (options.cache === 'redis' && !options.cachePrefix) {
        const redis = new Redis(REDIS_URL);
        const keys = await redis.keys(`${cachePrefix}*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
      }
    },
  };
}
