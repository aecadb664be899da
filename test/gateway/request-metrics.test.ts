/**
 * Request metrics on GET /metrics: HTTP requests by route, method, status and outcome; GraphQL
 * operations by name, type and outcome (ok, error, rejected), each with a latency histogram; the
 * operation label bounded. Also the request log's duration for requests Yoga's own plugins answer
 * (health check, GraphiQL page), which used to be `ms: null`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/monitoring/logger';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { serve, wsClient } from '../subscriptions/clients';

/** The value of the sample `name{labels}` in a Prometheus text exposition (labels in any order); 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...m[2].matchAll(/([a-z_]+)="([^"]*)"/g)].map((p) => [p[1], p[2]]));
    if (Object.keys(labels).length === Object.keys(got).length && Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return 0;
}

const labelValues = (text: string, name: string, label: string) =>
  new Set([...text.matchAll(new RegExp(`^${name}\\{[^}]*${label}="([^"]*)"`, 'gm'))].map((m) => m[1]));

describe('request metrics on /metrics', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('debug', new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  }));
  let dir: string;
  let t: TestGateway;
  let text: string;
  const KPI = 'query KpiDashboard { kpi { totals { clients } } }';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bgw-persisted-'));
    const file = join(dir, 'operations.json');
    await writeFile(file, JSON.stringify({ persisted: 'query PersistedHealth { health { score } }' }));
    t = await createTestGateway({ env: { PERSISTED_OPERATIONS_FILE: file }, gateway: { logger } });

    for (let i = 0; i < 3; i++) expect((await t.query(KPI)).body.errors).toBeUndefined();
    expect((await t.query('{ workspaces { workspaceId } }')).body.errors).toBeUndefined();
    expect((await t.query('query Broken { kpi { noSuchField } }')).body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await t.query('query Cut { kpi {')).body.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const minted = await t.query('mutation Mint($ws: Int!) { createApiToken(role: CLIENT, workspaceId: $ws) }', { ws: t.sim.world.workspaces.find((w) => !w.personal_team)!.id });
    const forbidden = await t.query('query Revenue { revenue { month } }', undefined, minted.body.data.createApiToken);
    expect(forbidden.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.query(KPI, undefined, null)).status).toBe(401);
    // Over graphql-ws: a query and a subscription (counted once, when it starts).
    const served = await serve(t);
    const client = wsClient(served.wsUrl);
    const result = await new Promise<unknown>((resolve, reject) => {
      client.subscribe({ query: 'query OverSocket { workspaces { workspaceId } }' }, { next: resolve, error: reject, complete: () => {} });
    });
    expect((result as { errors?: unknown }).errors).toBeUndefined();
    const stop = client.subscribe({ query: 'subscription Watch { healthChanged { score } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    for (let waited = 0; !(await (await t.gateway.fetch('http://gateway.test/metrics')).text()).includes('operation="Watch"'); waited += 20) {
      if (waited > 10_000) throw new Error('the subscription was not counted within 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    stop();
    await client.dispose();
    await served.close();
    // A client inventing operation names: the first 50 get a label, the rest share `other`.
    for (let i = 0; i < 60; i++) await t.query(`query Invented${i} { __typename }`);
    // A persisted operation keeps its name past the cap.
    const persisted = await t.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.config.adminToken}` }, body: JSON.stringify({ documentId: 'persisted' }),
    });
    expect(persisted.status).toBe(200);
    expect((await t.gateway.fetch('http://gateway.test/health')).status).toBe(200);
    expect((await t.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } })).status).toBe(200);
    text = await (await t.gateway.fetch('http://gateway.test/metrics')).text();
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts GraphQL operations by name, type and outcome, with a latency histogram', () => {
    const kpi = { operation: 'KpiDashboard', type: 'query', outcome: 'ok' };
    expect(sample(text, 'bison_graphql_operations_total', kpi)).toBe(3);
    expect(sample(text, 'bison_graphql_operation_duration_seconds_count', kpi)).toBe(3);
    expect(sample(text, 'bison_graphql_operation_duration_seconds_bucket', { ...kpi, le: '+Inf' })).toBe(3);
    expect(sample(text, 'bison_graphql_operation_duration_seconds_sum', kpi)).toBeGreaterThan(0);
    expect(sample(text, 'bison_graphql_operations_total', { operation: 'anonymous', type: 'query', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'bison_graphql_operations_total', { operation: 'Mint', type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'bison_graphql_operations_total', { operation: 'PersistedHealth', type: 'query', outcome: 'ok' })).toBe(1);
  });

  it('counts operations over graphql-ws too', () => {
    expect(sample(text, 'bison_graphql_operations_total', { operation: 'OverSocket', type: 'query', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'bison_graphql_operations_total', { operation: 'Watch', type: 'subscription', outcome: 'ok' })).toBe(1);
  });

  it('tells executed-with-errors (error) from refused-before-execution (rejected)', () => {
    expect(sample(text, 'bison_graphql_operations_total', { operation: 'Revenue', type: 'query', outcome: 'error' })).toBe(1);
    expect(sample(text, 'bison_graphql_operations_total', { operation: 'Broken', type: 'query', outcome: 'rejected' })).toBe(1);
    // A document that does not parse has no name to give.
    expect(sample(text, 'bison_graphql_operations_total', { operation: 'unknown', type: 'unknown', outcome: 'rejected' })).toBe(1);
  });

  it('keeps the operation label bounded: 50 invented names, then `other`', () => {
    const names = labelValues(text, 'bison_graphql_operations_total', 'operation');
    expect([...names].filter((n) => n.startsWith('Invented'))).toHaveLength(50 - 6); // KpiDashboard, Broken, Mint, Revenue, OverSocket, Watch came first
    expect(sample(text, 'bison_graphql_operations_total', { operation: 'other', type: 'query', outcome: 'ok' })).toBe(16);
  });

  it('counts HTTP requests by route, method, status and outcome, with a latency histogram', () => {
    const ok = { route: '/graphql', method: 'POST', status: '200', outcome: 'ok' };
    // 3 KPI + workspaces + Broken + Cut + Mint + Revenue + 60 invented + persisted, all 200 (GraphQL errors in the body).
    expect(sample(text, 'bison_http_requests_total', ok)).toBe(69);
    expect(sample(text, 'bison_http_requests_total', { route: '/graphql', method: 'POST', status: '401', outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'bison_http_requests_total', { route: '/health', method: 'GET', status: '200', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'bison_http_requests_total', { route: '/graphql', method: 'GET', status: '200', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'bison_http_request_duration_seconds_count', { route: '/graphql', method: 'POST', outcome: 'ok' })).toBe(69);
  });

  it('logs a duration for requests answered before the gateway\'s plugins run (health check, GraphiQL)', () => {
    const health = lines.find((l) => l.msg === 'request' && l.path === '/health');
    const graphiql = lines.find((l) => l.msg === 'request' && l.path === '/graphql' && l.method === 'GET');
    expect(health).toMatchObject({ status: 200, ms: expect.any(Number), level: 20 }); // probes log at debug
    expect(graphiql).toMatchObject({ status: 200, ms: expect.any(Number) });
  });
});
