import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { statsResponse } from '../../src/sources/email-bison/schemas';
import type { Simulator } from '../../src/simulator';
import { activeClient, call, createTestSimulator, keyOf } from './harness';
import type { ManualClock } from '../../src/clock';

let sim: Simulator;
let clock: ManualClock;
let ws: number;
let other: number;
const STATS = '/api/workspaces/v1.1/stats?start_date=2026-11-01&end_date=2026-11-20';

beforeAll(async () => {
  ({ sim, clock } = await createTestSimulator());
  ws = activeClient(sim);
  other = sim.world.workspaces.find((w) => w.id !== ws && !w.personal_team)!.id;
});
afterEach(() => sim.control.reset());
afterAll(() => sim.close());

const stats = (id = ws) => call(sim, STATS, keyOf(sim, id));

describe('faults', () => {
  it('fails one endpoint of one workspace with the configured status, others untouched', async () => {
    sim.control.addFault({ workspaceId: ws, endpoint: 'GET /api/workspaces/v1.1/stats', errorRate: 1, errorStatus: 502 });
    expect((await stats()).status).toBe(502);
    expect((await stats(other)).status).toBe(200);
    expect((await call(sim, '/api/sender-emails', keyOf(sim, ws))).status).toBe(200);
  });

  it('draws error rates from the seed: same seed, same sequence', async () => {
    const run = async (s: Simulator) => {
      s.control.setFaults([{ errorRate: 0.5, errorStatus: 503 }]);
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await call(s, STATS, keyOf(s, ws))).status);
      return out;
    };
    const { sim: twin } = await createTestSimulator();
    try {
      const first = await run(sim);
      expect(await run(twin)).toEqual(first);
      const failures = first.filter((s) => s === 503).length;
      expect(failures).toBeGreaterThan(10);
      expect(failures).toBeLessThan(30);
    } finally {
      await twin.close();
    }
  });

  it('serves HTML error pages when asked', async () => {
    sim.control.addFault({ errorRate: 1, errorStatus: 503, html: true });
    const r = await stats();
    expect(r.status).toBe(503);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(r.text).toMatch(/^<!DOCTYPE html>/);
  });

  it('adds latency, with more specific rules overriding global ones', async () => {
    sim.control.setFaults([{ latencyMs: 0 }, { endpoint: '/api/workspaces/v1.1/stats', latencyMs: { min: 150, max: 200 } }]);
    const t0 = performance.now();
    await stats();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
  });

  it('hangs until the client gives up, and close() ends hung requests at once', async () => {
    sim.control.addFault({ endpoint: 'GET /api/workspaces/v1.1/stats', hangRate: 1 });
    await expect(fetch(`${sim.url}${STATS}`, { headers: { Authorization: `Bearer ${keyOf(sim, ws)}` }, signal: AbortSignal.timeout(150) }))
      .rejects.toThrow();
    expect(sim.control.counters().byStatus.hang).toBe(1);

    const { sim: doomed } = await createTestSimulator({ faults: [{ hangRate: 1 }] });
    const pending = fetch(`${doomed.url}${STATS}`, { headers: { Authorization: `Bearer ${keyOf(doomed, ws)}` } });
    await new Promise((r) => setTimeout(r, 50));
    await doomed.close();
    await expect(pending).rejects.toThrow();
  });

  it('resets connections', async () => {
    sim.control.addFault({ resetRate: 1 });
    await expect(stats()).rejects.toThrow();
    expect(sim.control.counters().byStatus.reset).toBe(1);
  });

  it('cuts JSON short', async () => {
    sim.control.addFault({ malformedRate: 1 });
    const r = await stats();
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.text)).toThrow();
  });

  it('drifts the schema: missing, renamed, or a number as a locale string', async () => {
    sim.control.setFaults([{ drift: { mode: 'missing' } }]);
    const missing = await stats();
    expect(missing.json.data).not.toHaveProperty('interested');
    expect(statsResponse.safeParse(missing.json).success).toBe(false);

    sim.control.setFaults([{ drift: { mode: 'renamed', field: 'emails_sent' } }]);
    const renamed = await stats();
    expect(renamed.json.data).toHaveProperty('emails_sent_v2');
    expect(statsResponse.safeParse(renamed.json).success).toBe(false);

    sim.control.setFaults([{ drift: { mode: 'string', field: 'emails_sent' } }]);
    const stringy = await stats();
    expect(typeof stringy.json.data.emails_sent).toBe('string');
    expect(statsResponse.safeParse(stringy.json).success).toBe(false);
  });

  it('sends stats numbers as numeric strings in stringly mode, which still parse', async () => {
    sim.control.addFault({ stringly: true });
    const r = await stats();
    expect(typeof r.json.data.emails_sent).toBe('string');
    expect(statsResponse.parse(r.json).data.emails_sent).toBe(sim.world.window(ws, '2026-11-01', '2026-11-20').sent);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once the burst is spent, and refills with the clock', async () => {
    sim.control.setRateLimit({ perMinute: 6, burst: 3 });
    try {
      const ok = await Promise.all([stats(), stats(), stats()]);
      expect(ok.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(ok.map((r) => r.headers.get('x-ratelimit-remaining')).sort()).toEqual(['0', '1', '2']);
      const refused = await stats();
      expect(refused.status).toBe(429);
      expect(refused.json).toEqual({ message: 'Too Many Attempts.' });
      expect(refused.headers.get('retry-after')).toBe('10'); // one token every 10 s
      expect(refused.headers.get('x-ratelimit-limit')).toBe('6');
      expect((await stats(other)).status).toBe(200); // one bucket per key
      clock.advance(9_000);
      expect((await stats()).headers.get('retry-after')).toBe('1');
      clock.advance(1_000);
      expect((await stats()).status).toBe(200);
    } finally {
      sim.control.setRateLimit(false);
      clock.set('2026-11-20T12:00:00Z');
    }
  });
});

describe('observability', () => {
  it('counts requests per endpoint, workspace, key and status, and the peak concurrency', async () => {
    sim.control.setLatency(60);
    try {
      await Promise.all(Array.from({ length: 6 }, () => stats()));
      await call(sim, '/api/sender-emails', null);
      const c = sim.control.counters();
      expect(c.byEndpoint['GET /api/workspaces/v1.1/stats']).toBe(6);
      expect(c.byWorkspace[String(ws)]).toBe(6);
      expect(Object.keys(c.byKey)).toEqual([expect.stringMatching(/^api-user#\d+$/)]);
      expect(c.byStatus).toEqual({ 200: 6, 401: 1 });
      expect(c.peakInFlight).toBeGreaterThanOrEqual(6);
      expect(c.inFlight).toBe(0);
      expect(JSON.stringify(c)).not.toContain(keyOf(sim, ws).split('|')[1]);
      sim.control.resetCounters();
      expect(sim.control.counters().total).toBe(0);
    } finally {
      sim.control.setLatency(0);
    }
  });
});

describe('HTTP control API', () => {
  const control = (path: string, method = 'GET', body?: unknown) => call(sim, `/__control/${path}`, null, { method, body });

  it('sets and clears faults, moves the clock, reports counters and resets', async () => {
    await control('faults', 'POST', { add: { id: 'boom', endpoint: '/api/workspaces/v1.1/stats', errorRate: 1, errorStatus: 500 } });
    expect((await control('faults')).json.rules).toHaveLength(1);
    expect((await stats()).status).toBe(500);
    await control('faults/boom', 'DELETE');
    expect((await stats()).status).toBe(200);
    expect((await control('faults', 'POST', { add: { errorRate: 7 } })).status).toBe(400);

    const moved = await control('clock', 'POST', { now: '2026-12-02T08:00:00Z' });
    expect(moved.json.now).toBe('2026-12-02T08:00:00.000Z');
    expect(sim.world.today()).toBe('2026-12-02');
    clock.set('2026-11-20T12:00:00Z');

    expect((await control('counters')).json.byStatus).toMatchObject({ 200: 1, 500: 1 });
    await control('reset', 'POST');
    expect((await control('counters')).json.total).toBe(0);
  });
});
