/**
 * OpenTelemetry traces, end to end: the gateway's tracing exports over OTLP/HTTP (JSON) to a small
 * receiver, as it would to a collector. One cold KPI query must arrive as one trace: the request's
 * SERVER span, the operation span below it, a `cache miss` span per resource, and under each the
 * scheduler wait and the upstream attempts (retries counted), with the W3C trace context reaching
 * the simulator on every upstream call. Each gateway here has its own tracing; nothing is global.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/monitoring/logger';
import { captureLog } from '../support/log-capture';
import type { GatewayTracing } from '../../src/monitoring/tracing';
import { startTracingSdk } from '../../src/monitoring/tracing-sdk';
import type { RequestRecord } from '../../src/simulator/counters';
import { ADMIN_TOKEN, createTestGateway, type TestGateway } from '../support/gateway';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
const STATS = '/api/workspaces/v1.1/stats';
const SENDER_EMAILS = '/api/sender-emails';
const KPI = `query KpiDashboard { kpi { totals { clients leadsGenerated } errors { workspaceId code } } }`;


/** The spans of one trace, with helpers to walk it. */
function traceOf(spans: ReceivedSpan[], traceId: string) {
  const own = spans.filter((s) => s.traceId === traceId);
  const byId = new Map(own.map((s) => [s.spanId, s]));
  return {
    spans: own,
    parentOf: (s: ReceivedSpan) => byId.get(s.parentSpanId),
    named: (name: string) => own.filter((s) => s.name === name),
  };
}

/** What the simulator received during `run`. */
async function upstreamRequestsOf(t: TestGateway, run: () => Promise<unknown>): Promise<RequestRecord[]> {
  const before = t.sim.control.counters().total;
  await run();
  return t.sim.control.counters().recent.slice(-(t.sim.control.counters().total - before));
}

describe('tracing: one trace per operation, exported over OTLP/HTTP', () => {
  let receiver: OtlpReceiver;
  let tracing: GatewayTracing;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const config = loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    tracing = startTracingSdk({ config: config.tracing!, logger: silentLogger });
  });
  afterAll(async () => {
    await tracing?.shutdown();
    await receiver?.close();
  });

  describe('a cold KPI query', () => {
    const log = captureLog();
    let t: TestGateway;
    let upstream: RequestRecord[];
    let trace: ReturnType<typeof traceOf>;
    let server: ReceivedSpan;

    beforeAll(async () => {
      t = await createTestGateway({ gateway: { tracing, logger: log.logger } });
      upstream = await upstreamRequestsOf(t, async () => {
        const res = await t.query(KPI);
        expect(res.status).toBe(200);
        expect(res.body.data.kpi.errors).toEqual([]);
      });
      await tracing.flush();
      const spans = await receiver.waitFor((all) => all.some((s) => s.name === 'query KpiDashboard'));
      const op = spans.find((s) => s.name === 'query KpiDashboard')!;
      trace = traceOf(receiver.spans, op.traceId);
      server = trace.parentOf(op)!;
    });
    afterAll(() => t?.close());

    it('has the request SERVER span, and the operation span as its child, named and described by semantic conventions', () => {
      expect(server).toMatchObject({
        name: 'POST /graphql', kind: SERVER, parentSpanId: '',
        attributes: { 'http.request.method': 'POST', 'http.route': '/graphql', 'url.path': '/graphql', 'url.scheme': 'http', 'http.response.status_code': 200 },
      });
      const [op] = trace.named('query KpiDashboard');
      expect(op.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'KpiDashboard' });
      expect(op.attributes['graphql.document']).toContain('kpi {');
      expect(op.resource).toMatchObject({ 'service.name': 'bison-gateway' });
    });

    it('has a cache-miss span per resource under the operation, and under each its queue waits and upstream attempts', () => {
      const [op] = trace.named('query KpiDashboard');
      const misses = trace.named('cache miss stats');
      const statsResources = new Set(upstream.filter((r) => r.endpoint === `GET ${STATS}`).map((r) => `${r.workspaceId} ${r.query}`));
      expect(misses).toHaveLength(statsResources.size);
      for (const miss of misses) expect(miss.parentSpanId).toBe(op.spanId);

      const attempts = trace.spans.filter((s) => s.kind === CLIENT);
      const queued = trace.named('upstream queue');
      // Every upstream call of the query is one attempt span, preceded by its wait in the scheduler.
      expect(attempts).toHaveLength(upstream.length);
      expect(queued).toHaveLength(upstream.length);
      for (const attempt of attempts) {
        const miss = trace.parentOf(attempt)!;
        expect(miss.name).toBe('cache miss stats');
        expect(attempt.attributes['bison.workspace.id']).toBe(miss.attributes['bison.workspace.id']);
        expect(attempt).toMatchObject({
          name: `GET ${STATS}`,
          attributes: { 'http.request.method': 'GET', 'url.template': STATS, 'server.address': '127.0.0.1', 'http.response.status_code': 200, 'bison.triggered_by': 'request' },
        });
        expect(attempt.attributes['http.request.resend_count']).toBeUndefined();
      }
      for (const wait of queued) expect(trace.parentOf(wait)!.name).toBe('cache miss stats');
    });

    it('never puts a key, a token or a query string in a span', () => {
      const text = JSON.stringify(trace.spans);
      for (const secret of [ADMIN_TOKEN, t.sim.superAdminKey, ...t.sim.apiKeys.values()]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(secret.split('|')[1] ?? secret);
      }
      expect(text).not.toContain('start_date');
    });

    it('writes the trace id in the request log line', () => {
      const line = log.lines.find((l) => l.msg === 'request' && l.path === '/graphql');
      expect(line).toMatchObject({ method: 'POST', status: 200, traceId: server.traceId });
      expect(typeof line!.ms).toBe('number');
    });

    it('traces the monitoring recorder\'s Postgres writes as a flush with one span per statement', async () => {
      await t.gateway.services.recorder.flush();
      await tracing.flush();
      const spans = await receiver.waitFor((all) => all.some((s) => s.name === 'INSERT api_health_logs'));
      const insert = spans.find((s) => s.name === 'INSERT api_health_logs')!;
      expect(insert).toMatchObject({
        kind: CLIENT,
        attributes: { 'db.system.name': 'postgresql', 'db.operation.name': 'INSERT', 'db.collection.name': 'api_health_logs' },
      });
      const flush = spans.find((s) => s.spanId === insert.parentSpanId)!;
      expect(flush).toMatchObject({ name: 'monitoring flush', parentSpanId: '' });
      expect(flush.attributes['bison.monitoring.rows']).toBeGreaterThan(0);
    });
  });

  it('gives a retried upstream call one span per attempt, with its status, error.type and http.request.resend_count', async () => {
    const t = await createTestGateway({ gateway: { tracing } });
    try {
      const failing = t.sim.world.workspaces.find((w) => !w.personal_team)!.id;
      t.sim.control.addFault({ workspaceId: failing, endpoint: SENDER_EMAILS, errorRate: 1, errorStatus: 503 });
      const res = await t.query('query Mailboxes { infrastructure { totals { mailboxes } errors { workspaceId code } } }');
      expect(res.body.data.infrastructure.errors).toEqual([expect.objectContaining({ workspaceId: failing })]);
      await tracing.flush();
      const spans = await receiver.waitFor((all) => all.some((s) => s.name === 'query Mailboxes'));
      const trace = traceOf(spans, spans.find((s) => s.name === 'query Mailboxes')!.traceId);

      const [miss] = trace.named('cache miss sender-emails').filter((m) => m.attributes['bison.workspace.id'] === failing);
      expect(miss.status).toBe(ERROR);
      const attempts = trace.spans.filter((s) => s.kind === CLIENT && s.parentSpanId === miss.spanId);
      // The first try and FAST_RETRY's 3 retries, each queued again, each answered 503.
      expect(attempts.map((a) => a.attributes['http.request.resend_count']).sort()).toEqual([1, 2, 3, undefined]);
      for (const a of attempts) {
        expect(a).toMatchObject({
          name: `GET ${SENDER_EMAILS}`, status: ERROR,
          attributes: { 'http.response.status_code': 503, 'error.type': 'UPSTREAM_5XX', 'bison.workspace.id': failing },
        });
      }
      expect(trace.spans.filter((s) => s.name === 'upstream queue' && s.parentSpanId === miss.spanId)).toHaveLength(4);
    } finally {
      await t.close();
    }
  });

  it('keeps each call in its own trace through a super-admin key\'s workspace sessions', async () => {
    const t = await createTestGateway({ superAdminOnly: true, gateway: { tracing } });
    try {
      const res = await t.query('query SuperAdminKpi { kpi { totals { clients } errors { workspaceId } } }');
      expect(res.body.data.kpi.errors).toEqual([]);
      await tracing.flush();
      const spans = await receiver.waitFor((all) => all.some((s) => s.name === 'query SuperAdminKpi'));
      const trace = traceOf(spans, spans.find((s) => s.name === 'query SuperAdminKpi')!.traceId);
      const attempts = trace.spans.filter((s) => s.kind === CLIENT);
      const switches = attempts.filter((a) => a.name === 'POST /api/workspaces/v1.1/switch-workspace');
      expect(switches.length).toBeGreaterThan(0);
      // The sessions start a workspace's calls when another workspace lets go of the key: each
      // attempt (the switch included) still hangs below a cache miss of its own workspace.
      for (const attempt of attempts) {
        const miss = trace.parentOf(attempt)!;
        expect(miss.name).toBe('cache miss stats');
        expect(attempt.attributes['bison.workspace.id']).toBe(miss.attributes['bison.workspace.id']);
      }
      const waits = trace.named('super-admin session wait');
      expect(waits.length).toBe(trace.named('cache miss stats').length);
      for (const wait of waits) expect(trace.parentOf(wait)!.attributes['bison.workspace.id']).toBe(wait.attributes['bison.workspace.id']);
    } finally {
      await t.close();
    }
  });

  it('continues the caller\'s traceparent and sends the same trace id on every upstream call of the query', async () => {
    const t = await createTestGateway({ gateway: { tracing } });
    try {
      const traceId = randomBytes(16).toString('hex');
      const callerSpan = randomBytes(8).toString('hex');
      const upstream = await upstreamRequestsOf(t, async () => {
        const res = await t.query(KPI, undefined, ADMIN_TOKEN, { traceparent: `00-${traceId}-${callerSpan}-01` });
        expect(res.body.errors).toBeUndefined();
      });
      expect(upstream.length).toBeGreaterThan(t.sim.world.workspaces.length); // several resources per workspace
      const sent = upstream.map((r) => /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(r.traceparent ?? ''));
      expect(sent.every((m) => m?.[1] === traceId)).toBe(true);

      await tracing.flush();
      await receiver.waitFor((all) => all.some((s) => s.traceId === traceId && s.name === 'POST /graphql'));
      const trace = traceOf(receiver.spans, traceId);
      expect(trace.named('POST /graphql')[0].parentSpanId).toBe(callerSpan);
      // Each call names its own attempt span as the parent: the upstream can hang its spans there.
      const attemptIds = trace.spans.filter((s) => s.kind === CLIENT).map((s) => s.spanId);
      expect(sent.map((m) => m![2]).sort()).toEqual(attemptIds.sort());
    } finally {
      await t.close();
    }
  });

  it('sends no trace context and logs no trace id when tracing is off', async () => {
    const log = captureLog();
    const t = await createTestGateway({ gateway: { logger: log.logger } });
    try {
      const upstream = await upstreamRequestsOf(t, () => t.query(KPI, undefined, ADMIN_TOKEN, { traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01` }));
      expect(upstream.length).toBeGreaterThan(0);
      expect(upstream.filter((r) => r.traceparent !== undefined)).toEqual([]);
      const line = log.lines.find((l) => l.msg === 'request')!;
      expect(line.traceId).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
