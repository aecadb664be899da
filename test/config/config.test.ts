/**
 * Configuration messages, pinned: a bad value names the variable, what it got (secrets: only the
 * length) and what it wants; all bad values are listed at once; blank means "use the default".
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

const CONFIG_SOURCE = fileURLToPath(new URL('../../src/config.ts', import.meta.url));

/** Every variable the schema in src/config.ts reads, so a new one cannot go untested. */
function variablesOfConfig(): string[] {
  const source = readFileSync(CONFIG_SOURCE, 'utf8');
  const body = source.slice(source.indexOf('z.object({'), source.indexOf('\n});', source.indexOf('z.object({')));
  return [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]);
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`expected ${JSON.stringify(Object.keys(env))} to be refused`);
}

const hidden = (value: string) => `a value of ${value.length} characters (hidden)`;
const SECRETS = [
  'EMAIL_BISON_API_KEY', 'GATEWAY_ADMIN_TOKEN', 'ENCRYPTION_KEY', 'WEBHOOK_SECRET', 'DATABASE_URL', 'REDIS_URL', 'ALERT_WEBHOOK_URL',
  'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
];
const integer = (min: number, max: number) => `an integer from ${min} to ${max}`;

/** Any integer range: for the request limits src/server/plugins/use-query-limits.ts still tunes. */
const SOME_INTEGER_RANGE = /^an integer from \d+ to \d+$/;

/** One bad value per variable and the "wants" part of its message. */
const BAD: Record<string, [string, string | RegExp]> = {
  NODE_ENV: ['prod', 'development, production or test'],
  PORT: ['abc', integer(0, 65535)],
  HOST: ['my host', 'a host name or IP address to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::'],
  EMAIL_BISON_URL: ['ftp://send.example.com', 'an absolute http(s) URL of the Email Bison instance (http:// or https://...)'],
  EMAIL_BISON_API_KEY: ['not-a-sanctum-token', 'a Sanctum token of the form <id>|<secret>'],
  EMAIL_BISON_AUTO_REGISTER: ['no', 'true or false'],
  EMAIL_BISON_DISCOVERY_INTERVAL_SECONDS: ['1', integer(5, 86_400)],
  EMAIL_BISON_MINT_KEYS: ['off', 'true or false'],
  DATABASE_URL: ['mysql://root:hunter2@db/app', 'a Postgres connection URL (postgres:// or postgresql://...)'],
  REDIS_URL: ['http://:hunter2@cache:6379', 'a Redis connection URL (redis:// or rediss://...)'],
  REDIS_TIMEOUT_MS: ['10', integer(50, 60_000)],
  REPLICA_HEARTBEAT_MS: ['50', integer(100, 60_000)],
  GATEWAY_ADMIN_TOKEN: ['hunter2-short', 'at least 24 characters'],
  ENCRYPTION_KEY: ['aHVudGVyMg==', '32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)'],
  BUSINESS_TIMEZONE: ['Mars/Olympus_Mons', 'an IANA time zone such as Europe/Berlin'],
  UPSTREAM_CONCURRENCY: ['0', integer(1, 256)],
  UPSTREAM_RATE_PER_MINUTE: ['fast', integer(1, 100_000)],
  UPSTREAM_BURST: ['1001', integer(1, 1000)],
  UPSTREAM_TIMEOUT_MS: ['50', integer(100, 600_000)],
  REQUEST_DEADLINE_MS: ['10s', integer(100, 600_000)],
  CACHE_TTL_KPI_SECONDS: ['0', integer(1, 86_400)],
  CACHE_TTL_VOLUME_SECONDS: ['1.5', integer(1, 86_400)],
  CACHE_TTL_REVENUE_SECONDS: ['2 minutes', integer(1, 86_400)],
  CACHE_TTL_INFRASTRUCTURE_SECONDS: ['86401', integer(1, 86_400)],
  STALE_IF_ERROR_SECONDS: ['-1', integer(0, 604_800)],
  ALERT_WEBHOOK_URL: ['hooks.slack.com/services/T0/B0/hunter2', 'an http(s) URL of a Slack-compatible incoming webhook (http:// or https://...)'],
  WEBHOOK_SECRET: ['hunter2', 'at least 16 characters'],
  LOG_LEVEL: ['verbose', 'one of fatal, error, warn, info, debug, trace, silent'],
  MAX_QUERY_DEPTH: ['deep', SOME_INTEGER_RANGE],
  MAX_ALIASES: ['-1', SOME_INTEGER_RANGE],
  MAX_QUERY_TOKENS: ['-1', SOME_INTEGER_RANGE],
  MAX_QUERY_COST: ['lots', SOME_INTEGER_RANGE],
  MAX_BODY_BYTES: ['1.5MB', SOME_INTEGER_RANGE],
  RATE_LIMIT_PER_MINUTE: ['-60', SOME_INTEGER_RANGE],
  AUTH_FAILURES_PER_MINUTE: ['0', integer(1, 100_000)],
  TRUST_PROXY_HOPS: ['all', integer(0, 10)],
  SHUTDOWN_GRACE_MS: ['10s', integer(0, 600_000)],
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: ['0', integer(1, 3600)],
  RESPONSE_CACHE: ['on', 'true or false'],
  RESPONSE_CACHE_MAX_ENTRIES: ['0', integer(1, 100_000)],
  PERSISTED_OPERATIONS_ONLY: ['yes', 'true or false'],
  SIMULATOR_LATENCY_MS: ['fast', 'milliseconds, e.g. 200 or 1200-1500'],
  OTEL_SDK_DISABLED: ['1', 'true or false'],
  OTEL_TRACES_EXPORTER: ['jaeger', 'one of otlp, console, none'],
  OTEL_EXPORTER_OTLP_ENDPOINT: ['collector:4318?key=hunter2', 'an http(s) URL of an OTLP/HTTP receiver, e.g. http://collector:4318 (http:// or https://...)'],
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ['grpc://collector:4317/hunter2', 'the http(s) URL spans are posted to, e.g. http://collector:4318/v1/traces (http:// or https://...)'],
  OTEL_EXPORTER_OTLP_PROTOCOL: ['grpc', 'http/protobuf or http/json (grpc is not supported)'],
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: ['http/xml', 'http/protobuf or http/json (grpc is not supported)'],
  OTEL_EXPORTER_OTLP_HEADERS: ['Bearer hunter2', 'headers as key=value pairs separated by commas'],
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: ['api-key: hunter2', 'headers as key=value pairs separated by commas'],
  OTEL_SERVICE_NAME: ['x'.repeat(256), 'a service name of at most 255 characters'],
  OTEL_RESOURCE_ATTRIBUTES: ['deployment.environment', 'attributes as key=value pairs separated by commas'],
  OTEL_TRACES_SAMPLER: ['sometimes', 'one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio'],
  OTEL_TRACES_SAMPLER_ARG: ['1.5', 'a ratio from 0 to 1, e.g. 0.25'],
};
/** Paths: any non-blank value is acceptable (they are created or read later). */
const ANY_VALUE = new Set(['DATA_DIR', 'PERSISTED_OPERATIONS_FILE']);

describe('configuration messages', () => {
  it('has a bad-value case for every variable src/config.ts reads', () => {
    const variables = variablesOfConfig();
    expect(variables.length).toBeGreaterThan(20);
    expect(variables.filter((v) => !(v in BAD) && !ANY_VALUE.has(v))).toEqual([]);
    expect(Object.keys(BAD).filter((v) => !variables.includes(v))).toEqual([]);
  });

  for (const [name, [value, wants]] of Object.entries(BAD)) {
    it(`${name}=${JSON.stringify(value)}: names the variable, what it got and what it wants`, () => {
      const got = SECRETS.includes(name) ? hidden(value) : JSON.stringify(value);
      const problems = problemsOf({ [name]: value });
      expect(problems).toHaveLength(1);
      const prefix = `${name}: got ${got}, wants `;
      expect(problems[0].startsWith(prefix), problems[0]).toBe(true);
      if (typeof wants === 'string') expect(problems[0].slice(prefix.length)).toBe(wants);
      else expect(problems[0].slice(prefix.length)).toMatch(wants);
    });
  }

  it('never echoes a secret, not even part of it', () => {
    for (const name of SECRETS) {
      const [value] = BAD[name];
      const message = problemsOf({ [name]: value }).join('\n');
      expect(message).not.toContain(value);
      expect(message).not.toContain('hunter2');
      expect(message).toContain(`(hidden)`);
    }
  });

  it('lists every bad value at once, one line each', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '99999', LOG_LEVEL: 'loud', ENCRYPTION_KEY: 'x', BUSINESS_TIMEZONE: 'Nowhere', UPSTREAM_CONCURRENCY: '-3.5' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect([...problems].sort()).toEqual([
      'BUSINESS_TIMEZONE: got "Nowhere", wants an IANA time zone such as Europe/Berlin',
      'ENCRYPTION_KEY: got a value of 1 characters (hidden), wants 32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)',
      'LOG_LEVEL: got "loud", wants one of fatal, error, warn, info, debug, trace, silent',
      'PORT: got "99999", wants an integer from 0 to 65535',
      'UPSTREAM_CONCURRENCY: got "-3.5", wants an integer from 1 to 256',
    ]);
    expect(message.startsWith('Invalid configuration:\n')).toBe(true);
    for (const p of problems) expect(message).toContain(`  - ${p}`);
  });

  it('takes integers only as plain decimal digits', () => {
    for (const port of ['0x10', '1e3', ' 80', '8.0']) {
      expect(problemsOf({ PORT: port })).toEqual([`PORT: got ${JSON.stringify(port)}, wants an integer from 0 to 65535`]);
    }
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
  });

  it('refuses a simulated latency range that runs backwards', () => {
    expect(problemsOf({ SIMULATOR_LATENCY_MS: '500-100' })).toEqual([
      'SIMULATOR_LATENCY_MS: got "500-100", wants a range whose minimum is not above its maximum, e.g. 1200-1500',
    ]);
    expect(loadConfig({ SIMULATOR_LATENCY_MS: '1200-1500' }).simulatorLatencyMs).toEqual({ min: 1200, max: 1500 });
  });

  it('refuses combinations that cannot work', () => {
    expect(problemsOf({ EMAIL_BISON_API_KEY: '12|abcdefgh1234' })).toEqual([
      'EMAIL_BISON_API_KEY: got a key but EMAIL_BISON_URL is not set, wants EMAIL_BISON_URL beside it',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', EMAIL_BISON_URL: 'https://send.example.com' })).toEqual([
      'ENCRYPTION_KEY: got nothing, wants 32 bytes encoded as base64 in production (it encrypts stored Email Bison keys)',
    ]);
  });

  it('treats blank and whitespace-only values as unset: every default applies', () => {
    const defaults = loadConfig({});
    const blank = Object.fromEntries(variablesOfConfig().map((v, i) => [v, i % 2 ? '' : '   ']));
    expect(loadConfig(blank)).toEqual(defaults);
    expect(defaults).toMatchObject({
      env: 'development', port: 4000, host: '127.0.0.1', emailBison: null, databaseUrl: null, redisUrl: null,
      dataDir: null, adminToken: null, encryptionKey: null, timeZone: 'UTC',
      workspaces: { autoRegister: true, discoveryIntervalSeconds: 300, mintKeys: true },
      upstream: { concurrency: 8, ratePerMinute: 50, burst: 8, timeoutMs: 45_000 },
      requestDeadlineMs: 10_000,
      ttlSeconds: { KPI: 120, VOLUME: 120, REVENUE: 300, INFRASTRUCTURE: 600 },
      staleIfErrorSeconds: 3600, alertWebhookUrl: null, webhookSecret: null, logLevel: 'info',
      simulatorLatencyMs: { min: 20, max: 60 }, tracing: null, redisTimeoutMs: 1000, shutdownGraceMs: 10_000,
      limits: expect.objectContaining({ authFailuresPerMinute: 30, trustProxyHops: 0 }),
      responseCache: { enabled: true, maxEntries: 1000 },
    });
  });

  it('traces only when an OTLP endpoint or an exporter is set, and never when disabled', () => {
    const otlp = (url: string, protocol = 'http/protobuf') => ({ exporter: 'otlp', url, protocol, serviceName: 'bison-gateway' });
    expect(loadConfig({ OTEL_SERVICE_NAME: 'gw', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual(otlp('http://collector:4318/v1/traces'));
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example.com/traces', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing)
      .toEqual(otlp('https://otlp.example.com/traces', 'http/json'));
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }).tracing)
      .toEqual(otlp('http://localhost:4318/v1/traces'));
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'gw-eu' }).tracing).toMatchObject({ exporter: 'console', serviceName: 'gw-eu' });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer x,x-team = gw', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod' }).tracing).toBeNull();
  });

  it('parses a valid full configuration', () => {
    const key = Buffer.alloc(32, 7);
    const config = loadConfig({
      NODE_ENV: 'production', PORT: '8080', HOST: '0.0.0.0',
      EMAIL_BISON_URL: 'https://send.example-agency.com/', EMAIL_BISON_API_KEY: '17|s3cretS3cretS3cret',
      DATABASE_URL: 'postgres://gw:pw@db:5432/gateway', REDIS_URL: 'rediss://cache:6380', DATA_DIR: '/var/lib/bison-gateway',
      GATEWAY_ADMIN_TOKEN: 'admin-token-0123456789abcdef', ENCRYPTION_KEY: key.toString('base64'),
      BUSINESS_TIMEZONE: 'America/New_York', UPSTREAM_CONCURRENCY: '16', UPSTREAM_RATE_PER_MINUTE: '120', UPSTREAM_BURST: '12',
      UPSTREAM_TIMEOUT_MS: '30000', REQUEST_DEADLINE_MS: '8000', CACHE_TTL_KPI_SECONDS: '60', CACHE_TTL_VOLUME_SECONDS: '90', CACHE_TTL_REVENUE_SECONDS: '600',
      CACHE_TTL_INFRASTRUCTURE_SECONDS: '1200', STALE_IF_ERROR_SECONDS: '7200',
      ALERT_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x', WEBHOOK_SECRET: 'webhook-secret-0123', LOG_LEVEL: 'warn',
      SIMULATOR_LATENCY_MS: '1200-1500', EMAIL_BISON_AUTO_REGISTER: 'false', EMAIL_BISON_DISCOVERY_INTERVAL_SECONDS: '3600',
      EMAIL_BISON_MINT_KEYS: 'false', REDIS_TIMEOUT_MS: '250', REPLICA_HEARTBEAT_MS: '2000', SHUTDOWN_GRACE_MS: '30000', HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '75',
      AUTH_FAILURES_PER_MINUTE: '10', TRUST_PROXY_HOPS: '1', RESPONSE_CACHE: 'false', RESPONSE_CACHE_MAX_ENTRIES: '50',
    });
    expect(config).toMatchObject({
      env: 'production', port: 8080, host: '0.0.0.0',
      emailBison: { url: 'https://send.example-agency.com', apiKey: '17|s3cretS3cretS3cret' },
      databaseUrl: 'postgres://gw:pw@db:5432/gateway', redisUrl: 'rediss://cache:6380', dataDir: '/var/lib/bison-gateway',
      adminToken: 'admin-token-0123456789abcdef', encryptionKey: key, timeZone: 'America/New_York',
      upstream: { concurrency: 16, ratePerMinute: 120, burst: 12, timeoutMs: 30_000 },
      requestDeadlineMs: 8000,
      ttlSeconds: { KPI: 60, VOLUME: 90, REVENUE: 600, INFRASTRUCTURE: 1200 },
      staleIfErrorSeconds: 7200, alertWebhookUrl: 'https://hooks.slack.com/services/T0/B0/x', webhookSecret: 'webhook-secret-0123',
      logLevel: 'warn', simulatorLatencyMs: { min: 1200, max: 1500 }, redisTimeoutMs: 250, replicaHeartbeatMs: 2000, shutdownGraceMs: 30_000, keepAliveTimeoutMs: 75_000,
      workspaces: { autoRegister: false, discoveryIntervalSeconds: 3600, mintKeys: false },
      limits: expect.objectContaining({ authFailuresPerMinute: 10, trustProxyHops: 1 }),
      responseCache: { enabled: false, maxEntries: 50 },
    });
  });
});
