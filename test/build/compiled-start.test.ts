/**
 * The production start: `npm run build` bundles src/main.ts into dist/, and plain `node
 * dist/main.js` serves GraphiQL and the dashboards in demo mode, finds its SQL migrations, and,
 * with OTEL_* set, loads the OpenTelemetry SDK chunk and exports spans over OTLP/HTTP protobuf (the
 * default protocol). Its embedded database runs in a process of its own (dist/pglite-child.js).
 * SIGTERM flushes the spans and exits 0, and the database's process ends with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run build, then node dist/main.js', () => {
  let receiver: OtlpReceiver;
  let child: ChildProcess;
  let url: string;
  let token: string;
  const banner: string[] = [];
  const stderr: string[] = [];

  beforeAll(async () => {
    // dist/ is what `npm run build` made before the tests ran (test/support/build-once.ts).
    receiver = await startOtlpReceiver();
    // Only what node needs, plus the settings under test: no DATABASE_URL or REDIS_URL leaks in.
    const base = Object.fromEntries(['PATH', 'HOME'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
    child = spawn(process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      env: { ...base, PORT: '0', LOG_LEVEL: 'warn', SIMULATOR_LATENCY_MS: '0', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url.replace('/v1/traces', ''), OTEL_BSP_SCHEDULE_DELAY: '100' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (d) => stderr.push(String(d)));
    const lines = createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 45 s: ${banner.join('\n')} ${stderr.join('')}`)), 45_000);
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr.join('')}`)));
      lines.on('line', (line) => {
        banner.push(line);
        if (line.startsWith('Admin token')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    url = /GraphiQL:\s+(\S+)/.exec(banner.join('\n'))![1];
    token = /Admin token .*: (\S+)$/m.exec(banner.join('\n'))![1];
  }, 90_000);
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await receiver?.close();
  });

  it('says it traces, and where to', () => {
    expect(banner).toContain(`Tracing:   OTLP http/protobuf to ${new URL(receiver.url).origin}`);
  });

  it('serves GraphiQL with the demo token filled in', async () => {
    const res = await fetch(url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<title>bison-gateway</title>');
    expect(html).toContain(token);
  });

  const traceId = randomBytes(16).toString('hex');
  // Cold, every workspace's calls are paced at UPSTREAM_RATE_PER_MINUTE: the KPI dashboard fits in the burst.
  it('serves the KPI dashboard', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      body: JSON.stringify({ query: '{ kpi { totals { clients } errors { code } } workspaces { workspaceId } }' }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.kpi).toEqual({ totals: { clients: 26 }, errors: [] });
    expect(body.data.workspaces).toHaveLength(26);
  });

  /** The pids of the gateway's child processes and their command lines. */
  const childrenOf = (pid: number) =>
    readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map((p) => ({
        pid: Number(p),
        cmdline: readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' '),
      })),
    );
  let database: { pid: number; cmdline: string } | undefined;

  it('runs its embedded database in a process of its own, the built dist/pglite-child.js', () => {
    database = childrenOf(child.pid!).find((c) => c.cmdline.includes('pglite-child'));
    expect(database?.cmdline).toContain('dist/pglite-child.js');
  });

  it('exports the trace over OTLP/HTTP protobuf, and exits 0 on SIGTERM, its database process with it', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(`/proc/${database!.pid}/cmdline`) && readFileSync(`/proc/${database!.pid}/cmdline`, 'utf8').includes('pglite-child')).toBe(false);
    const protobuf = receiver.requests.filter((r) => r.contentType === 'application/x-protobuf');
    expect(protobuf.length).toBeGreaterThan(0);
    // Protobuf carries ids as raw bytes: the caller's trace id is in the export.
    expect(Buffer.concat(protobuf.map((r) => r.body)).includes(Buffer.from(traceId, 'hex'))).toBe(true);
    expect(stderr.join('')).toBe('');
  });
});
