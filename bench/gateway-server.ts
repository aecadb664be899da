/**
 * The gateway as a bench child process: `tsx bench/gateway-server.ts` (or `node --import tsx ...`,
 * which `bench/lib/child.ts` runs pinned to its own core). Configured by the usual environment
 * (UPSTREAM_CONCURRENCY, CACHE_TTL_*_SECONDS, GATEWAY_ADMIN_TOKEN, LOG_LEVEL, ...) plus:
 *
 * - `BENCH_UPSTREAM`: JSON `{ url, superAdminKey, apiKeys: [[workspaceId, key], ...] }` of a simulator
 *   the bench process runs (so it can read its counters). Without it this process starts its own
 *   simulator: 27 workspaces, `SIMULATOR_LATENCY_MS` (default here 1200-1500), `BENCH_MAILBOXES`
 *   mailboxes (4,500), rate limit off.
 * - `BENCH_PRIME`: `1` (default) calls `gateway.start()` (refresh-ahead and priming); `0` starts
 *   nothing, so the caches stay empty until the first query (a true cold load).
 * - `BENCH_KEYS`: `seeded` (default) registers the clients with one api-user key each, as demo mode
 *   does; `mint` wires the gateway as on an agency's own instance: only the super-admin key (and
 *   ENCRYPTION_KEY), so discovery registers the workspaces and keys are minted on demand.
 * - `OTEL_*`: tracing on, as in src/main.ts (e.g. `OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318`).
 * - `BENCH_DISPATCH_FILE`: on exit, writes there when each upstream request left (its headers
 *   written to the socket), ms after the last incoming request arrived (Node's diagnostics
 *   channels: `http.server.request.start`, `undici:client:sendHeaders`). B1 reads it.
 *
 * Prints one JSON line when listening: `{ "gateway": url, "simulator": url, "adminToken": ..., "pid": n }`.
 * Ends cleanly on SIGTERM/SIGINT (so `node --cpu-prof` writes its profile).
 */
import { loadConfig } from '../src/config';
import { createGateway } from '../src/server/gateway';
import { listen } from '../src/server/http';
import { createLogger } from '../src/monitoring/logger';
import { tracingOff } from '../src/monitoring/tracing';
import { startSimulator, type Simulator } from '../src/simulator';

interface UpstreamSpec {
  url: string;
  superAdminKey: string;
  apiKeys: [number, string][];
}

const env: Record<string, string | undefined> = { LOG_LEVEL: 'silent', PORT: '0', GATEWAY_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef', SIMULATOR_LATENCY_MS: '1200-1500', ...process.env };
const config = loadConfig(env);
const logger = createLogger(config.logLevel);

let simulator: Simulator | null = null;
let upstream: UpstreamSpec;
if (env.BENCH_UPSTREAM) {
  upstream = JSON.parse(env.BENCH_UPSTREAM) as UpstreamSpec;
} else {
  simulator = await startSimulator({
    latencyMs: config.simulatorLatencyMs,
    mailboxes: Number(env.BENCH_MAILBOXES ?? 4500),
    rateLimit: false,
  });
  upstream = { url: simulator.url, superAdminKey: simulator.superAdminKey, apiKeys: [...simulator.apiKeys] };
}

const tracing = config.tracing ? (await import('../src/monitoring/tracing-sdk')).startTracingSdk({ config: config.tracing, logger }) : tracingOff;
const gateway = await createGateway({
  config,
  logger,
  tracing,
  upstream: env.BENCH_KEYS === 'mint'
    ? { url: upstream.url, superAdminKey: upstream.superAdminKey }
    : { url: upstream.url, superAdminKey: upstream.superAdminKey, demoApiKeys: new Map(upstream.apiKeys) },
});
const server = await listen(gateway.handle, config.port, config.host, { keepAliveTimeoutMs: config.keepAliveTimeoutMs });
if (env.BENCH_PRIME !== '0') await gateway.start();

process.stdout.write(`${JSON.stringify({ gateway: server.url, simulator: upstream.url, adminToken: config.adminToken, pid: process.pid })}\n`);

const dispatch = env.BENCH_DISPATCH_FILE ? await recordDispatch(env.BENCH_DISPATCH_FILE) : null;

/** When the upstream requests left, ms after the last request to this gateway arrived; written by `shutdown`. */
async function recordDispatch(file: string) {
  const [dc, fs] = await Promise.all([import('node:diagnostics_channel'), import('node:fs')]);
  let asked = 0;
  let left: number[] = [];
  dc.subscribe('http.server.request.start', () => {
    asked = performance.now();
    left = [];
  });
  dc.subscribe('undici:client:sendHeaders', () => left.push(performance.now() - asked));
  return { write: () => fs.writeFileSync(file, JSON.stringify(left)) };
}

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await server.close();
  await gateway.close().catch(() => {});
  await tracing.shutdown();
  await simulator?.close();
  dispatch?.write();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
// `kill -USR2 <pid>` writes the process's memory figures (process.memoryUsage()) to
// <tmpdir>/bench-memory-<pid>.json, for bench/scenarios/b5-scale.ts.
process.on('SIGUSR2', () => {
  void Promise.all([import('node:fs'), import('node:os'), import('node:path')]).then(([fs, os, path]) => {
    const file = path.join(os.tmpdir(), `bench-memory-${process.pid}.json`);
    fs.writeFileSync(`${file}.part`, JSON.stringify(process.memoryUsage()));
    fs.renameSync(`${file}.part`, file);
  });
});
