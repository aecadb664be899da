/**
 * Configuration from the environment, validated with zod at start. A bad value stops the process
 * with one line per problem naming the variable, what it got and what it wants. Values of secret
 * variables are never echoed: the message gives their length instead.
 */
import { z } from 'zod';
import type { DashboardKind } from './sources/freshness';

const SECRET_VARS = new Set([
  'EMAIL_BISON_API_KEY', 'GATEWAY_ADMIN_TOKEN', 'ENCRYPTION_KEY', 'WEBHOOK_SECRET', 'DATABASE_URL', 'REDIS_URL', 'ALERT_WEBHOOK_URL',
  // OTLP endpoints and headers often carry a vendor's credentials.
  'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
]);

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess(blankToUndefined, schema.default(fallback as never));

// Plain decimal digits only: Number() would also take "0x10", "1e3" or " 8 ".
const intIn = (min: number, max: number) => {
  const error = `an integer from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v),
    z.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
};

const urlWith = (protocols: string[], what: string) =>
  z.string().refine((s) => {
    try {
      return protocols.includes(new URL(s).protocol);
    } catch {
      return false;
    }
  }, { error: `${what} (${protocols.map((p) => p + '//').join(' or ')}...)` });

const otlpProtocol = z.enum(['http/protobuf', 'http/json'], { error: 'http/protobuf or http/json (grpc is not supported)' });
const keyValueList = (what: string) =>
  z.string().regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, { error: `${what} as key=value pairs separated by commas` });
const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const envSchema = z.object({
  NODE_ENV: withDefault(z.enum(['development', 'production', 'test'], { error: 'development, production or test' }), 'development'),
  PORT: withDefault(intIn(0, 65535), 4000),
  HOST: withDefault(z.string().regex(/^[A-Za-z0-9.:%-]+$/, { error: 'a host name or IP address to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::' }), '127.0.0.1'),
  EMAIL_BISON_URL: optional(urlWith(['http:', 'https:'], 'an absolute http(s) URL of the Email Bison instance')),
  EMAIL_BISON_API_KEY: optional(z.string().regex(/^\d+\|\S{8,}$/, { error: 'a Sanctum token of the form <id>|<secret>' })),
  // Workspace discovery (src/sources/registry/discovery.ts) and api-user keys (src/sources/registry/key-minting.ts).
  EMAIL_BISON_AUTO_REGISTER: withDefault(z.enum(['true', 'false'], { error: 'true or false' }), 'true'),
  EMAIL_BISON_DISCOVERY_INTERVAL_SECONDS: withDefault(intIn(5, 86_400), 300),
  EMAIL_BISON_MINT_KEYS: withDefault(z.enum(['true', 'false'], { error: 'true or false' }), 'true'),
  DATABASE_URL: optional(urlWith(['postgres:', 'postgresql:'], 'a Postgres connection URL')),
  REDIS_URL: optional(urlWith(['redis:', 'rediss:'], 'a Redis connection URL')),
  /** Longest wait for one Redis command; past it reads answer from the replica's own copy. */
  REDIS_TIMEOUT_MS: withDefault(intIn(50, 60_000), 1000),
  /** With REDIS_URL: how often a replica says it is alive (the shared upstream budget counts live replicas to share it out when Redis is down). */
  REPLICA_HEARTBEAT_MS: withDefault(intIn(100, 60_000), 5000),
  DATA_DIR: optional(z.string().min(1)),
  GATEWAY_ADMIN_TOKEN: optional(z.string().min(24, { error: 'at least 24 characters' })),
  ENCRYPTION_KEY: optional(z.string().refine((s) => /^[A-Za-z0-9+/]+={0,2}$/.test(s) && Buffer.from(s, 'base64').length === 32, {
    error: '32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)',
  })),
  BUSINESS_TIMEZONE: withDefault(z.string().refine(isTimeZone, { error: 'an IANA time zone such as Europe/Berlin' }), 'UTC'),
  UPSTREAM_CONCURRENCY: withDefault(intIn(1, 256), 8),
  UPSTREAM_RATE_PER_MINUTE: withDefault(intIn(1, 100_000), 50),
  UPSTREAM_BURST: withDefault(intIn(1, 1000), 8),
  UPSTREAM_TIMEOUT_MS: withDefault(intIn(100, 600_000), 45_000),
  REQUEST_DEADLINE_MS: withDefault(intIn(100, 600_000), 10_000),
  CACHE_TTL_KPI_SECONDS: withDefault(intIn(1, 86_400), 120),
  CACHE_TTL_VOLUME_SECONDS: withDefault(intIn(1, 86_400), 120),
  CACHE_TTL_REVENUE_SECONDS: withDefault(intIn(1, 86_400), 300),
  CACHE_TTL_INFRASTRUCTURE_SECONDS: withDefault(intIn(1, 86_400), 600),
  STALE_IF_ERROR_SECONDS: withDefault(intIn(0, 604_800), 3600),
  ALERT_WEBHOOK_URL: optional(urlWith(['http:', 'https:'], 'an http(s) URL of a Slack-compatible incoming webhook')),
  WEBHOOK_SECRET: optional(z.string().min(16, { error: 'at least 16 characters' })),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'one of fatal, error, warn, info, debug, trace, silent' }), 'info'),
  // Abuse limits (src/server/plugins/): what one GraphQL request may ask, and how often per token.
  MAX_QUERY_DEPTH: withDefault(intIn(2, 100), 12),
  MAX_ALIASES: withDefault(intIn(0, 1000), 30),
  MAX_QUERY_TOKENS: withDefault(intIn(100, 100_000), 3000),
  MAX_QUERY_COST: withDefault(intIn(100, 100_000_000), 100_000),
  MAX_BODY_BYTES: withDefault(intIn(1024, 50 * 1024 * 1024), 256 * 1024),
  RATE_LIMIT_PER_MINUTE: withDefault(intIn(1, 1_000_000), 600),
  /** Failed bearer-token attempts a client address may make a minute before it gets 429s (checked before any database work). */
  AUTH_FAILURES_PER_MINUTE: withDefault(intIn(1, 100_000), 30),
  /** Proxies in front of the gateway that append to X-Forwarded-For: the client address is taken that many entries from the right. */
  TRUST_PROXY_HOPS: withDefault(intIn(0, 10), 0),
  /** The response cache in front of execution (src/server/response-cache.ts) and how many answers it keeps. */
  RESPONSE_CACHE: withDefault(z.enum(['true', 'false'], { error: 'true or false' }), 'true'),
  RESPONSE_CACHE_MAX_ENTRIES: withDefault(intIn(1, 100_000), 1000),
  /** SIGTERM: how long requests in flight may take to finish before their connections are cut. */
  SHUTDOWN_GRACE_MS: withDefault(intIn(0, 600_000), 10_000),
  /**
   * How long an idle keep-alive connection stays open. Longer than the idle timeout of the balancer
   * or client in front (60 s is common), so that side closes first and never sends a request down a
   * connection the gateway is closing (the client then sees "socket hang up" / a 502).
   */
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: withDefault(intIn(1, 3600), 65),
  /** JSON object { "<id or sha256>": "<GraphQL document>" }: operations a client may send by id. */
  PERSISTED_OPERATIONS_FILE: optional(z.string().min(1)),
  PERSISTED_OPERATIONS_ONLY: withDefault(z.enum(['true', 'false'], { error: 'true or false' }), 'false'),
  // OpenTelemetry tracing (src/monitoring/tracing-sdk.ts): the standard variables. Headers, sampler and
  // resource attributes are read by the SDK itself; they are checked here so a typo stops the start.
  OTEL_SDK_DISABLED: withDefault(z.enum(['true', 'false'], { error: 'true or false' }), 'false'),
  OTEL_TRACES_EXPORTER: optional(z.enum(['otlp', 'console', 'none'], { error: 'one of otlp, console, none' })),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(urlWith(['http:', 'https:'], 'an http(s) URL of an OTLP/HTTP receiver, e.g. http://collector:4318')),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(urlWith(['http:', 'https:'], 'the http(s) URL spans are posted to, e.g. http://collector:4318/v1/traces')),
  OTEL_EXPORTER_OTLP_PROTOCOL: optional(otlpProtocol),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: optional(otlpProtocol),
  OTEL_EXPORTER_OTLP_HEADERS: optional(keyValueList('headers')),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: optional(keyValueList('headers')),
  OTEL_SERVICE_NAME: withDefault(z.string().max(255, { error: 'a service name of at most 255 characters' }), 'bison-gateway'),
  OTEL_RESOURCE_ATTRIBUTES: optional(keyValueList('attributes')),
  OTEL_TRACES_SAMPLER: optional(z.enum(SAMPLERS, { error: `one of ${SAMPLERS.join(', ')}` })),
  OTEL_TRACES_SAMPLER_ARG: optional(z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, { error: 'a ratio from 0 to 1, e.g. 0.25' })),
  /** Demo mode only: simulated upstream latency, "MS" or "MIN-MAX" (ms). */
  SIMULATOR_LATENCY_MS: withDefault(z.string().regex(/^\d+(-\d+)?$/, { error: 'milliseconds, e.g. 200 or 1200-1500', abort: true })
    .refine((s) => { const [lo, hi = lo] = s.split('-').map(Number); return lo <= hi; }, { error: 'a range whose minimum is not above its maximum, e.g. 1200-1500' }), '20-60'),
});

export type Env = z.infer<typeof envSchema>;

/** Where and how spans are exported; see `tracingOf`. */
export interface TracingConfig {
  exporter: 'otlp' | 'console';
  /** OTLP/HTTP traces URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces). */
  url: string;
  protocol: 'http/protobuf' | 'http/json';
  serviceName: string;
}

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  /** null = demo mode: the built-in simulator is started and used. */
  emailBison: { url: string; apiKey: string | null } | null;
  /**
   * What the super-admin key does for the registry: discover the instance's workspaces every
   * `discoveryIntervalSeconds` (names, deletions), register new ones as clients (`autoRegister`),
   * mint an api-user key for each client without one (`mintKeys`).
   */
  workspaces: { autoRegister: boolean; discoveryIntervalSeconds: number; mintKeys: boolean };
  databaseUrl: string | null;
  redisUrl: string | null;
  redisTimeoutMs: number;
  /** Replicas on one Redis announce themselves this often; each counts as live for 3 heartbeats. */
  replicaHeartbeatMs: number;
  dataDir: string | null;
  adminToken: string | null;
  encryptionKey: Buffer | null;
  timeZone: string;
  upstream: { concurrency: number; ratePerMinute: number; burst: number; timeoutMs: number };
  /** A dashboard answers with what it has after this long, the rest as TIMEOUT errors. */
  requestDeadlineMs: number;
  ttlSeconds: Record<DashboardKind, number>;
  staleIfErrorSeconds: number;
  alertWebhookUrl: string | null;
  webhookSecret: string | null;
  logLevel: Env['LOG_LEVEL'];
  simulatorLatencyMs: { min: number; max: number };
  limits: {
    maxDepth: number; maxAliases: number; maxTokens: number; maxCost: number; maxBodyBytes: number; ratePerMinute: number;
    authFailuresPerMinute: number; trustProxyHops: number;
  };
  shutdownGraceMs: number;
  /** Idle keep-alive connections are closed after this long (src/server/http.ts). */
  keepAliveTimeoutMs: number;
  /** Warm answers served before Yoga (src/server/response-cache.ts); `enabled: false` executes every request. */
  responseCache: { enabled: boolean; maxEntries: number };
  /** Operations sendable by id; `only`: refuse any other document. */
  persistedOperations: { file: string | null; only: boolean };
  /** OpenTelemetry tracing; null = off. */
  tracing: TracingConfig | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describeGot(name: string, value: unknown): string {
  if (value === undefined) return 'nothing';
  if (SECRET_VARS.has(name)) return `a value of ${String(value).length} characters (hidden)`;
  return JSON.stringify(value);
}

/** Parses and checks the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}: got ${describeGot(name, env[name])}, wants ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.EMAIL_BISON_API_KEY && !e.EMAIL_BISON_URL) {
    problems.push('EMAIL_BISON_API_KEY: got a key but EMAIL_BISON_URL is not set, wants EMAIL_BISON_URL beside it');
  }
  if (e.NODE_ENV === 'production' && e.EMAIL_BISON_URL && !e.ENCRYPTION_KEY) {
    problems.push('ENCRYPTION_KEY: got nothing, wants 32 bytes encoded as base64 in production (it encrypts stored Email Bison keys)');
  }
  if (e.PERSISTED_OPERATIONS_ONLY === 'true' && !e.PERSISTED_OPERATIONS_FILE) {
    problems.push('PERSISTED_OPERATIONS_ONLY: got true but PERSISTED_OPERATIONS_FILE is not set, wants the file of allowed operations beside it');
  }
  if (problems.length) throw new ConfigError(problems);
  const [lo, hi] = e.SIMULATOR_LATENCY_MS.split('-').map(Number);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    emailBison: e.EMAIL_BISON_URL ? { url: e.EMAIL_BISON_URL.replace(/\/+$/, ''), apiKey: e.EMAIL_BISON_API_KEY ?? null } : null,
    workspaces: {
      autoRegister: e.EMAIL_BISON_AUTO_REGISTER === 'true',
      discoveryIntervalSeconds: e.EMAIL_BISON_DISCOVERY_INTERVAL_SECONDS,
      mintKeys: e.EMAIL_BISON_MINT_KEYS === 'true',
    },
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    redisTimeoutMs: e.REDIS_TIMEOUT_MS,
    replicaHeartbeatMs: e.REPLICA_HEARTBEAT_MS,
    dataDir: e.DATA_DIR ?? null,
    adminToken: e.GATEWAY_ADMIN_TOKEN ?? null,
    encryptionKey: e.ENCRYPTION_KEY ? Buffer.from(e.ENCRYPTION_KEY, 'base64') : null,
    timeZone: e.BUSINESS_TIMEZONE,
    upstream: { concurrency: e.UPSTREAM_CONCURRENCY, ratePerMinute: e.UPSTREAM_RATE_PER_MINUTE, burst: e.UPSTREAM_BURST, timeoutMs: e.UPSTREAM_TIMEOUT_MS },
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    ttlSeconds: {
      KPI: e.CACHE_TTL_KPI_SECONDS,
      VOLUME: e.CACHE_TTL_VOLUME_SECONDS,
      REVENUE: e.CACHE_TTL_REVENUE_SECONDS,
      INFRASTRUCTURE: e.CACHE_TTL_INFRASTRUCTURE_SECONDS,
    },
    staleIfErrorSeconds: e.STALE_IF_ERROR_SECONDS,
    alertWebhookUrl: e.ALERT_WEBHOOK_URL ?? null,
    webhookSecret: e.WEBHOOK_SECRET ?? null,
    logLevel: e.LOG_LEVEL,
    simulatorLatencyMs: { min: lo, max: hi ?? lo },
    limits: {
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxTokens: e.MAX_QUERY_TOKENS,
      maxCost: e.MAX_QUERY_COST,
      maxBodyBytes: e.MAX_BODY_BYTES,
      ratePerMinute: e.RATE_LIMIT_PER_MINUTE,
      authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
      trustProxyHops: e.TRUST_PROXY_HOPS,
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
    responseCache: { enabled: e.RESPONSE_CACHE === 'true', maxEntries: e.RESPONSE_CACHE_MAX_ENTRIES },
    persistedOperations: { file: e.PERSISTED_OPERATIONS_FILE ?? null, only: e.PERSISTED_OPERATIONS_ONLY === 'true' },
    tracing: tracingOf(e),
  };
}

/**
 * Tracing is off unless asked for: an OTLP endpoint is set, or OTEL_TRACES_EXPORTER names an
 * exporter (otlp alone means the collector's default, http://localhost:4318). OTEL_SDK_DISABLED=true
 * or OTEL_TRACES_EXPORTER=none turns it off whatever else is set.
 */
function tracingOf(e: Env): TracingConfig | null {
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (e.OTEL_SDK_DISABLED === 'true' || e.OTEL_TRACES_EXPORTER === 'none') return null;
  if (!e.OTEL_TRACES_EXPORTER && !endpoint) return null;
  const base = (e.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318').replace(/\/+$/, '');
  return {
    exporter: e.OTEL_TRACES_EXPORTER ?? 'otlp',
    url: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${base}/v1/traces`,
    protocol: e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    serviceName: e.OTEL_SERVICE_NAME,
  };
}
