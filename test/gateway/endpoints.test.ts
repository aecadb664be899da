/**
 * The operational HTTP surface: /health, /ready (this replica can answer: cache primed OR upstream
 * reachable, and not draining; a database outage is listed as degraded, never a reason to take the
 * replica out), /metrics (the series the runbook names, bounded labels) and the request log (one
 * line per request, never a secret; probes at debug level). Postgres sits behind a TCP proxy we
 * can stop, and the simulator is ours to close, so every part of /ready can fail for real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { captureLog } from '../support/log-capture';
import { startSimulator, type Simulator } from '../../src/simulator';
import { ADMIN_TOKEN, DEFAULT_NOW, createTestGateway, type TestGateway } from '../support/gateway';
import { TEST_DATABASE_URL } from '../support/databases';
import { postgresProxy, type TcpProxy } from '../support/tcp-proxy';


describe('gateway endpoints: /health, /ready, /metrics and the request log', () => {
  const clock = new ManualClock(DEFAULT_NOW);
  const log = captureLog('debug');
  let sim: Simulator;
  let simClosed = false;
  let proxy: TcpProxy;
  let t: TestGateway;
  const get = (path: string, headers: Record<string, string> = {}) => t.gateway.fetch(`http://gateway.test${path}`, { headers });
  const ready = async () => {
    const res = await get('/ready');
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    sim = await startSimulator({ clock, seed: 'test', rateLimit: false, workspaces: 4, mailboxes: 120 });
    proxy = await postgresProxy(TEST_DATABASE_URL);
    t = await createTestGateway({
      clock,
      simulator: sim,
      database: 'postgres',
      env: { DATABASE_URL: proxy.urlFor(TEST_DATABASE_URL) },
      gateway: { logger: log.logger },
    });
  });
  afterAll(async () => {
    await proxy?.start().catch(() => {});
    await t?.close();
    await proxy?.stop();
    if (!simClosed) await sim?.close();
  });

  const healthy = { draining: false, database: true, redis: null, openBreakers: 0, degraded: [], reason: 'serving' };

  it('GET /health answers 200 and JSON without a token', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ alive: true, draining: false, reason: 'alive', uptimeSeconds: expect.any(Number) });
  });

  it('GET /ready is 200 before any data is cached, because the upstream answers', async () => {
    expect(await ready()).toEqual({ status: 200, body: { ready: true, cachePrimed: false, upstream: true, ...healthy } });
  });

  it('GET /metrics exposes upstream calls, latency, cache reads, breakers, queue depth and monitoring rows', async () => {
    const q = '{ kpi { totals { clients } } infrastructure { totals { mailboxes } } }';
    expect((await t.query(q)).body.errors).toBeUndefined(); // misses: fetched from upstream
    await t.query(q); // hits
    clock.advance(3 * 60_000); // past the KPI TTL: served stale while it refreshes
    await t.query('{ kpi { totals { clients } } }');
    await t.gateway.services.recorder.flush();

    const res = await get('/metrics');
    expect(res.status).toBe(200);
    const text = await res.text();
    const series = (name: string) => text.split('\n').filter((l) => l.startsWith(name));
    expect(series('bison_upstream_calls_total{endpoint="/api/workspaces/v1.1/stats",outcome="success"}')).toHaveLength(1);
    expect(series('bison_upstream_calls_total{endpoint="/api/sender-emails",outcome="success"}')).toHaveLength(1);
    expect(series('bison_upstream_latency_seconds_bucket{le="+Inf",endpoint="/api/workspaces/v1.1/stats"}')).toHaveLength(1);
    for (const outcome of ['miss', 'hit', 'stale']) expect(series(`bison_cache_reads_total{resource="stats",outcome="${outcome}"}`)).toHaveLength(1);
    for (const state of ['closed', 'open', 'half_open']) expect(series(`bison_circuit_breakers{state="${state}"}`)).toHaveLength(1);
    expect(series('bison_scheduler_queue_depth ')).toHaveLength(1);
    const written = Number(series('bison_monitoring_rows_written_total ')[0]?.split(' ')[1]);
    expect(written).toBeGreaterThan(0);
    expect(series('bison_monitoring_rows_dropped_total ')).toEqual(['bison_monitoring_rows_dropped_total 0']);
  });

  it('keeps metric labels bounded: route templates and fixed sets, never a workspace', async () => {
    const text = await (await get('/metrics')).text();
    const samples = text.split('\n').filter((l) => l.startsWith('bison_') && l.includes('{'));
    const labelNames = new Set(samples.flatMap((l) => [...l.matchAll(/([a-z_]+)="/g)].map((m) => m[1])));
    for (const name of labelNames) expect(['endpoint', 'outcome', 'resource', 'state', 'le', 'quantile', 'kind', 'type', 'space', 'version', 'major', 'minor', 'patch', 'route', 'method', 'status', 'operation']).toContain(name);
    const endpoints = new Set(samples.flatMap((l) => [...l.matchAll(/endpoint="([^"]*)"/g)].map((m) => m[1])));
    expect(endpoints.size).toBeGreaterThan(0);
    for (const e of endpoints) expect(e).toMatch(/^\/api(\/(v\d+(\.\d+)?|[a-z-]+|\{[a-z_]+\}))+$/);
    // The gateway's own series (process metrics aside) carry no workspace id as a label value.
    const workspaceIds = t.sim.world.workspaces.map((w) => w.id);
    const values = samples
      .filter((l) => !/^bison_(process|nodejs)_/.test(l))
      .flatMap((l) => [...l.matchAll(/([a-z_]+)="([^"]*)"/g)].filter((m) => m[1] !== 'le').map((m) => m[2]));
    for (const id of workspaceIds) expect(values).not.toContain(String(id));
  });

  it('GET /ready reports the cache primed once dashboards were served (no upstream probe needed)', async () => {
    expect(await ready()).toEqual({ status: 200, body: { ready: true, cachePrimed: true, upstream: null, ...healthy } });
  });

  it('logs one line per request with method, path, status and time, and never a token or key', async () => {
    const before = log.lines.length;
    await get('/metrics?token=query-secret-0123456789');
    await t.query('{ workspaces { workspaceId } }');
    await t.query('{ kpi { totals { clients } } }', undefined, 'wrong-token-secret-abcdef');
    await get('/health');
    await get('/ready');
    const lines = log.lines.slice(before).filter((l) => l.msg === 'request');
    expect(lines.map((l) => [l.method, l.path, l.status, l.level])).toEqual([
      ['GET', '/metrics', 200, 30],
      ['POST', '/graphql', 200, 30],
      ['POST', '/graphql', 401, 30],
      // Health probes come every few seconds from every balancer: debug, not info.
      ['GET', '/health', 200, 20],
      ['GET', '/ready', 200, 20],
    ]);
    for (const l of lines) expect(typeof l.ms).toBe('number');

    const secrets = [ADMIN_TOKEN, 'query-secret-0123456789', 'wrong-token-secret-abcdef', t.sim.superAdminKey, ...t.sim.apiKeys.values()];
    const text = log.text();
    for (const secret of secrets) expect(text).not.toContain(secret);
    for (const secret of secrets) expect(text).not.toContain(secret.split('|')[1] ?? secret);
  });

  it('GET /ready stays 200 while the database is unreachable, naming it as degraded, and answers fast', async () => {
    await proxy.stop();
    try {
      const started = performance.now();
      expect(await ready()).toEqual({
        status: 200,
        body: { ...healthy, ready: true, cachePrimed: true, upstream: null, database: false, degraded: ['database'], reason: 'serving, degraded: database unreachable' },
      });
      expect(performance.now() - started).toBeLessThan(1_500); // a balancer's probe timeout is often 1 s
      expect((await t.query('{ kpi { totals { clients } errors { code } } }')).body.data.kpi.errors).toEqual([]);
    } finally {
      await proxy.start();
    }
    expect(await ready()).toMatchObject({ status: 200, body: { ready: true, database: true, degraded: [] } });
  });

  it('GET /ready stays 200 while cleared values may still be served stale-if-error, 503 once nothing may and the upstream is unreachable', async () => {
    expect((await t.query('mutation { clearCache }')).body.data.clearCache).toBeGreaterThan(0);
    await sim.close();
    simClosed = true;
    clock.advance(10_000); // past the probe's cached answer
    expect(await ready()).toMatchObject({ status: 200, body: { ready: true, cachePrimed: true, upstream: null } });
    clock.advance(t.config.staleIfErrorSeconds * 1000);
    expect(await ready()).toEqual({
      status: 503,
      body: { ...healthy, ready: false, cachePrimed: false, upstream: false, reason: 'nothing cached that may be served and the upstream is unreachable' },
    });
  });

  it('once draining (SIGTERM), GET /ready is 503 at once while /health stays 200', async () => {
    t.gateway.drain();
    expect(await ready()).toMatchObject({ status: 503, body: { ready: false, draining: true, reason: 'shutting down: finishing requests in flight' } });
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ alive: true, draining: true });
  });
});
