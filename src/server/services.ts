/**
 * Builds the gateway's long-lived parts from the configuration, bottom up: database and
 * migrations, registry and tokens, monitoring, the upstream client (scheduler, breakers), the
 * shared cache. Nothing here knows GraphQL; `gateway.ts` puts Yoga on top.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config';
import { systemClock, type Clock } from '../clock';
import { openDb, migrate, type Db } from '../sources/db';
import { createRegistry, type Registry } from '../sources/registry/registry';
import { createSecretBox, verifyEncryptionKey } from '../sources/registry/secret-box';
import { createTokenStore, type TokenStore } from '../sources/registry/tokens';
import { seedDemoClients } from '../sources/registry/demo-seed';
import { createUpstreamScheduler, type UpstreamScheduler } from '../sources/upstream/scheduler';
import { createLocalPace, type PaceSource } from '../sources/upstream/pace-source';
import { createSharedPace } from '../sources/upstream/shared-pace';
import { createSharedBuckets, type SharedBuckets } from '../sources/cache/shared-buckets';
import { scriptRunner } from '../sources/cache/redis-commands';
import { createLiveReplicas, type LiveReplicas } from '../sources/replicas';
import { createBreakerBoard, type BreakerBoard } from '../sources/upstream/breaker';
import { createEmailBisonClient, type EmailBisonClient } from '../sources/email-bison/client';
import type { RetryPolicy } from '../sources/email-bison/retry';
import { createCacheStore, createSourceCache, type CacheStore, type Fetcher, type SourceCache, type SourceCacheOptions } from '../sources/cache';
import { createFreshnessPolicy, type FreshnessPolicy } from '../sources/freshness';
import { createRecorder, type MonitoringRecorder, type RecorderOptions } from '../monitoring/recorder';
import { createMetrics, metricsObserver, type GatewayMetrics } from '../monitoring/metrics';
import { combineObservers } from '../monitoring/observers';
import type { SourceObserver } from '../monitoring/events';
import type { Logger } from '../monitoring/logger';
import { checkDependencies } from '../sources/dependencies';
import { tracingOff, type GatewayTracing } from '../monitoring/tracing';
import { traceFetches, traceKeySessions, traceQueueWaits } from '../sources/tracing';
import { createClientDirectory, type ClientDirectory } from './directory';
import { createDiscovery, type Discovery } from '../sources/registry/discovery';
import { createMailboxMemo, type MailboxMemo } from '../resolvers/mailbox-memo';
import { createKeyMinting, type KeyMinting } from '../sources/registry/key-minting';
import { keyIssues } from '../sources/registry/key-status';
import { createKeyLock } from '../sources/upstream/key-lock';
import { createPostgresKeyLock } from '../sources/upstream/key-sessions-postgres';
import { readHealth, type HealthReport } from '../monitoring/health';

export interface UpstreamTarget {
  url: string;
  superAdminKey: string | null;
  /** Demo mode: the simulator's api-user keys, seeded into the registry with demo clients. */
  demoApiKeys?: Map<number, string>;
}

export interface ServiceOptions {
  config: Config;
  upstream: UpstreamTarget;
  clock: Clock;
  logger: Logger;
  /** Tests: isolate in a Postgres schema. */
  dbSchema?: string;
  /** Tests: isolate in a Redis key prefix (also names the cache namespace). */
  cachePrefix?: string;
  retry?: Partial<RetryPolicy>;
  cache?: Partial<Omit<SourceCacheOptions, 'store' | 'fetch' | 'clock' | 'observer' | 'ttlMs' | 'staleIfErrorMs'>>;
  recorder?: Partial<RecorderOptions>;
  /** Spans for cache misses, queue waits, upstream attempts and monitoring writes. @default tracingOff */
  tracing?: GatewayTracing;
}

export interface Services {
  /** How fresh data is: TTLs, thresholds, the state rule (src/sources/freshness.ts). */
  freshness: FreshnessPolicy;
  db: Db;
  registry: Registry;
  tokens: TokenStore;
  directory: ClientDirectory;
  scheduler: UpstreamScheduler;
  /** Where the scheduler's tokens come from: this process, or one budget per key shared through Redis. */
  pace: PaceSource;
  /** Token buckets shared by the replicas in Redis (the keys' budgets, the per-token rate limit); null without Redis. */
  buckets: SharedBuckets | null;
  /** How many replicas are live (src/sources/replicas.ts); null without Redis (nothing is shared then). */
  replicas: LiveReplicas | null;
  breakers: BreakerBoard;
  client: EmailBisonClient;
  cache: SourceCache;
  /** The cache's store (its health, what this process holds). */
  store: CacheStore;
  recorder: MonitoringRecorder;
  metrics: GatewayMetrics;
  observer: SourceObserver;
  /** Classified and aggregated mailboxes per data version (infrastructure, revenue's costs). */
  mailboxes: MailboxMemo;
  /** Workspace discovery with the super-admin key (null without one). */
  discovery: Discovery | null;
  /** Api-user keys: stored, minted, replaced after a 401; which key serves what. */
  keys: KeyMinting;
  instanceId: string;
  /** The monitoring view's report, plus what the key situation costs (`health.issues`). */
  /** The health report (of one workspace when given), with the gateway's key issues for the whole. */
  health(workspaceId?: number | null): Promise<HealthReport>;
  /** A registry write through this gateway succeeded (clients, costs, mailbox overrides). */
  onRegistryWrite(listener: () => void): () => void;
  /** Background work: discovery every interval, minting keys for clients without one. */
  start(): void;
  close(): Promise<void>;
}

/** Demo mode needs a stable ENCRYPTION_KEY when its data persists under DATA_DIR. */
async function demoEncryptionKey(dataDir: string | null): Promise<Buffer> {
  if (!dataDir) return randomBytes(32);
  const file = join(dataDir, 'demo-encryption.key');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch {
    const key = randomBytes(32);
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, key.toString('base64'), { mode: 0o600 });
    return key;
  }
}

/** Registry writes through the gateway are seen by the request path at once (the directory, and the answers built on it). */
function invalidating(registry: Registry, invalidate: () => void): Registry {
  // Only after a write that happened: a failed one changed nothing, and dropping what the request
  // path holds while the database is down would turn one refused write into failing dashboards.
  const after = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A) => {
    const result = await fn(...args);
    invalidate();
    return result;
  };
  // Costs and mailbox overrides are not the directory's clients, but answers built on them are void
  // too (the response cache drops every answer on a registry write).
  return {
    ...registry,
    upsert: after(registry.upsert),
    deactivate: after(registry.deactivate),
    setMonthlyCost: after(registry.setMonthlyCost),
    removeMonthlyCost: after(registry.removeMonthlyCost),
    setMailboxOverride: after(registry.setMailboxOverride),
    removeMailboxOverride: after(registry.removeMailboxOverride),
  };
}

export async function createServices(options: ServiceOptions): Promise<Services> {
  const { config, upstream, clock, logger, tracing = tracingOff } = options;
  // Spans around a part only when tracing is on: off, the part is used as it is.
  const withTracing = <P>(part: P, trace: (part: P, tracing: GatewayTracing) => P): P => (tracing.enabled ? trace(part, tracing) : part);
  const demo = upstream.demoApiKeys !== undefined;
  const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;

  await checkDependencies({ databaseUrl: config.databaseUrl, redisUrl: config.redisUrl }); // DependencyError names the variable
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: options.dbSchema,
    onError: (err) => logger.warn({ err: err.message }, 'database connection error'),
  });
  await migrate(db);
  const encryptionKey = config.encryptionKey ?? (demo ? await demoEncryptionKey(config.dataDir) : null);
  const box = encryptionKey ? createSecretBox(encryptionKey) : null;
  await verifyEncryptionKey(db, box);

  const metrics = createMetrics({ defaultMetrics: true });
  const recorder = createRecorder(db, { instanceId, clock, logger, metrics, tracing, ...options.recorder });
  const observer = combineObservers(recorder, metricsObserver(metrics));

  const rawRegistry = createRegistry(db, box);
  const keys: KeyMinting = createKeyMinting({
    db, box, instanceId, clock, logger,
    enabled: config.workspaces.mintKeys,
    mint: upstream.superAdminKey ? (workspaceId, name, withdraw) => client.mintApiToken(workspaceId, name, { triggeredBy: 'background', queueSignal: withdraw }) : null,
    onChange: () => directory.invalidate(),
  });
  const directory = createClientDirectory({
    registry: rawRegistry, baseUrl: upstream.url, superAdminKey: upstream.superAdminKey, clock, keyFor: (workspaceId) => keys.keyFor(workspaceId),
  });
  const registryWrites = new Set<() => void>();
  // The request path reads overrides through the directory (held, like the clients); writes drop it.
  const registry: Registry = {
    ...invalidating(rawRegistry, () => {
      directory.invalidate();
      for (const listener of registryWrites) listener();
    }),
    mailboxOverrides: () => directory.mailboxOverrides(),
  };
  const tokens = createTokenStore(db, clock);

  const store = createCacheStore({ redisUrl: config.redisUrl, prefix: options.cachePrefix, redisTimeoutMs: config.redisTimeoutMs });
  // Pacing is about real time (the upstream's rate limit), so it runs on the wall clock even when
  // tests drive freshness with a manual one. On Redis every replica draws on one budget per key.
  const { concurrency, ratePerMinute, burst } = config.upstream;
  const run = store.kind === 'redis' ? scriptRunner(() => store.redis()) : null;
  const buckets = run ? createSharedBuckets(run, store.prefix) : null;
  const replicas = run ? createLiveReplicas({ run, prefix: store.prefix, instanceId, heartbeatMs: config.replicaHeartbeatMs }) : null;
  const paceSource = buckets && replicas
    ? createSharedPace({
        buckets, replicas, ratePerMinute, burst, clock: systemClock,
        onModeChange(mode, n, err) {
          if (mode === 'fallback') logger.warn({ err: err instanceof Error ? err.message : String(err), replicas: n }, `the shared upstream budget (Redis) is unreachable: pacing each key at 1/${n} of its rate here until it is back`);
          else logger.info({ replicas: n }, 'the shared upstream budget (Redis) is back');
        },
      })
    : createLocalPace({ ratePerMinute, burst, clock: systemClock });
  const scheduler = createUpstreamScheduler({ concurrency, ratePerMinute, burst, paceSource });
  metrics.setQueueDepthSource(() => scheduler.stats().queued);
  const breakers = createBreakerBoard({ clock, observer });
  const client = createEmailBisonClient({
    access: directory.access,
    scheduler: withTracing(scheduler, traceQueueWaits),
    breakers,
    observer,
    timeoutMs: config.upstream.timeoutMs,
    retry: options.retry,
    clock,
    // Replicas share a super-admin key only through a shared Postgres: then its workspace groups are cluster-wide.
    keyLock: withTracing(createKeyLock({ cluster: config.databaseUrl ? createPostgresKeyLock({ db, holder: instanceId }) : null }), traceKeySessions),
    onKeyRejected: async (workspaceId, access) => {
      const retry = await keys.rejected(workspaceId, access.key);
      directory.invalidate();
      return retry;
    },
    tracing,
  });
  const discovery = upstream.superAdminKey
    ? createDiscovery({
        db, clock, logger,
        listWorkspaces: (signal) => client.fetch({ kind: 'workspaces' }, { priority: 'interactive', triggeredBy: 'background', signal }),
        autoRegister: config.workspaces.autoRegister,
        intervalMs: config.workspaces.discoveryIntervalSeconds * 1000,
        onChange(run) {
          directory.invalidate();
          if (started && run.registered.length + run.restored.length > 0) mintMissing();
        },
      })
    : null;
  let started = false;
  const mintMissing = () => void keys.mintMissing().catch((err: Error) => logger.warn({ err: err.message }, 'minting api-user keys failed; tried again when those workspaces are next fetched'));

  const freshness = createFreshnessPolicy({ ttlSeconds: config.ttlSeconds, staleIfErrorSeconds: config.staleIfErrorSeconds });
  const cache = createSourceCache({
    store,
    fetch: withTracing<Fetcher>((resource, ctx) => client.fetch(resource, ctx), traceFetches),
    clock,
    observer,
    ttlMs: (resource) => freshness.resourceTtlMs(resource.kind),
    staleIfErrorMs: freshness.staleIfErrorMs,
    ...options.cache,
  });

  if (demo) {
    const workspaces = await client.fetch({ kind: 'workspaces' }, { priority: 'interactive', triggeredBy: 'prime' });
    const created = await seedDemoClients(rawRegistry, workspaces, upstream.demoApiKeys);
    if (created) logger.info({ created }, 'demo: registered the simulator\'s workspaces as clients');
  }
  // Clients are registered before the gateway says it is ready; an unreachable upstream only delays that by the timeout.
  await discovery?.runOnce({ timeoutMs: 10_000 });
  // Read now, so the first dashboard waits on the upstream only, not on the database as well.
  void directory.load().catch(() => {});

  return {
    freshness, db, registry, tokens, directory, scheduler, pace: paceSource, buckets, replicas, breakers, client, cache, store, recorder, metrics, observer, discovery, keys, instanceId,
    mailboxes: createMailboxMemo(observer),
    async health(workspaceId = null) {
      if (workspaceId !== null) return readHealth(db, workspaceId); // the instance's keys are not a workspace's concern
      const [report, status] = await Promise.all([readHealth(db), keys.status()]);
      return { ...report, issues: [...report.issues, ...keyIssues(status)] };
    },
    onRegistryWrite(listener) {
      registryWrites.add(listener);
      return () => void registryWrites.delete(listener);
    },
    start() {
      started = true;
      discovery?.start();
      mintMissing();
    },
    async close() {
      discovery?.stop();
      cache.stop();
      // Upstream calls in flight are reported to the recorder when they end: wait for them before the last flush.
      await scheduler.close(config.shutdownGraceMs);
      await paceSource.close();
      await replicas?.close();
      await tokens.settle().catch(() => {});
      await recorder.close();
      await store.close();
      await db.close();
    },
  };
}
