/**
 * The client against the Email Bison simulator: real HTTP, real pagination, real per-key state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../src/clock';
import { createEmailBisonClient } from '../../src/sources/email-bison/client';
import type { KeyKind } from '../../src/sources/email-bison/access';
import { createBreakerBoard } from '../../src/sources/upstream/breaker';
import { createUpstreamScheduler } from '../../src/sources/upstream/scheduler';
import { startSimulator, statsFromCounts, type Simulator, type SimulatorOptions } from '../../src/simulator';
import { recordingObserver } from './fake-upstream';

const MTD = { start: '2026-11-01', end: '2026-11-20' };
const CTX = { priority: 'interactive', triggeredBy: 'request' } as const;
let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function simulator(options: SimulatorOptions = {}) {
  const sim = await startSimulator({ clock: new ManualClock('2026-11-20T12:00:00Z'), seed: 'upstream-test', rateLimit: false, ...options });
  sims.push(sim);
  return sim;
}

/** A client on `sim`, using only the super-admin key or one api-user key per workspace. */
function clientFor(sim: Simulator, keys: 'super-admin-only' | 'api-user', opts: { concurrency?: number; ratePerMinute?: number; burst?: number } = {}) {
  const recorded = recordingObserver();
  const scheduler = createUpstreamScheduler({ concurrency: opts.concurrency ?? 8, ratePerMinute: opts.ratePerMinute ?? 60_000, burst: opts.burst ?? 1000 });
  const breakers = createBreakerBoard({ failureThreshold: 3, windowMs: 60_000, openMs: 60_000, clock: systemClock, observer: recorded.observer });
  const client = createEmailBisonClient({
    access: async (workspaceId) => {
      if (workspaceId === null || keys === 'super-admin-only') return { baseUrl: sim.url, key: sim.superAdminKey, kind: 'super-admin' as KeyKind };
      const key = sim.apiKeys.get(workspaceId);
      return key ? { baseUrl: sim.url, key, kind: 'api-user' as KeyKind } : null;
    },
    scheduler,
    breakers,
    observer: recorded.observer,
    timeoutMs: 5_000,
    retry: { retries: 3, minDelayMs: 5, maxDelayMs: 50, factor: 2, deadlineMs: 20_000 },
  });
  return { client, scheduler, breakers, ...recorded };
}

describe('Email Bison client against the simulator', () => {
  it('fetches 27 workspaces concurrently with ONLY a super-admin key, each with its own stats (no mixing)', async () => {
    const sim = await simulator({ latencyMs: { min: 1, max: 8 } });
    const { client } = clientFor(sim, 'super-admin-only', { concurrency: 8 });
    const workspaces = await client.fetch({ kind: 'workspaces' }, CTX);
    expect(workspaces.map((w) => w.id).sort((a, b) => a - b)).toEqual(sim.world.workspaces.map((w) => w.id).sort((a, b) => a - b));
    expect(workspaces).toHaveLength(27);
    sim.control.resetCounters();

    const stats = await Promise.all(workspaces.map((w) => client.fetch({ kind: 'stats', workspaceId: w.id, ...MTD }, CTX)));
    workspaces.forEach((w, i) => {
      const truth = statsFromCounts(sim.world.window(w.id, MTD.start, MTD.end));
      expect({ id: w.id, sent: stats[i].emails_sent, interested: stats[i].interested, bounced: stats[i].bounced })
        .toEqual({ id: w.id, sent: truth.emails_sent, interested: truth.interested, bounced: truth.bounced });
    });
    // The workspaces do differ, so a mix-up could not hide behind equal numbers.
    expect(new Set(stats.map((s) => s.emails_sent)).size).toBeGreaterThan(20);

    const counters = sim.control.counters();
    expect(counters.byEndpoint).toEqual({ 'POST /api/workspaces/v1.1/switch-workspace': 27, 'GET /api/workspaces/v1.1/stats': 27 });
    expect(Object.keys(counters.byKey)).toEqual([expect.stringMatching(/^super-admin/)]);
    expect(counters.byStatus).toEqual({ 200: 54 });
    // One workspace at a time on that key: never two of its calls in flight.
    expect(counters.peakInFlight).toBe(1);
  });

  it('walks every mailbox page of every workspace in parallel with api-user keys, within the pool cap', async () => {
    const sim = await simulator({ latencyMs: { min: 1, max: 5 }, mailboxes: 1200 });
    const { client, attempts } = clientFor(sim, 'api-user', { concurrency: 6 });
    const ids = sim.world.workspaces.map((w) => w.id);
    const lists = await Promise.all(ids.map((workspaceId) => client.fetch({ kind: 'sender-emails', workspaceId }, { priority: 'background', triggeredBy: 'prime' })));

    let pages = 0;
    ids.forEach((id, i) => {
      const truth = sim.world.mailboxes(id);
      expect([id, lists[i].length]).toEqual([id, truth.length]);
      expect(new Set(lists[i].map((m) => m.id))).toEqual(new Set(truth.map((m) => m.id)));
      pages += Math.max(1, Math.ceil(truth.length / 15));
    });
    const counters = sim.control.counters();
    expect(counters.byEndpoint).toEqual({ 'GET /api/sender-emails': pages });
    expect(counters.byEndpoint['POST /api/workspaces/v1.1/switch-workspace']).toBeUndefined();
    expect(counters.peakInFlight).toBeLessThanOrEqual(6);
    expect(counters.peakInFlight).toBeGreaterThan(1);
    expect(attempts).toHaveLength(pages);
  });

  it('survives HTML 5xx pages and numeric strings, and isolates a workspace that keeps failing', async () => {
    const sim = await simulator();
    const [good, bad] = sim.world.workspaces.slice(1, 3).map((w) => w.id);
    sim.control.setFaults([
      { endpoint: '/api/workspaces/v1.1/stats', stringly: true },
      { workspaceId: bad, endpoint: '/api/workspaces/v1.1/stats', errorRate: 1, errorStatus: 502, html: true },
    ]);
    const { client, breakers, attempts } = clientFor(sim, 'api-user');
    await expect(client.fetch({ kind: 'stats', workspaceId: good, ...MTD }, CTX))
      .resolves.toMatchObject({ emails_sent: statsFromCounts(sim.world.window(good, MTD.start, MTD.end)).emails_sent });
    const err = await client.fetch({ kind: 'stats', workspaceId: bad, ...MTD }, CTX).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CIRCUIT_OPEN', workspaceId: bad }); // 3 failures opened it, the 4th try was refused
    expect(attempts.filter((a) => a.workspaceId === bad).map((a) => a.errorType)).toEqual(['http_5xx', 'http_5xx', 'http_5xx', 'circuit_open']);
    expect(breakers.snapshot().find((b) => b.workspaceId === bad)?.state).toBe('open');
    expect(breakers.snapshot().find((b) => b.workspaceId === good)?.state).toBe('closed');
  });

  it('reports schema drift as a validation failure and does not retry it', async () => {
    const sim = await simulator();
    const id = sim.world.workspaces[1].id;
    sim.control.setFaults([{ workspaceId: id, endpoint: '/api/workspaces/v1.1/stats', drift: { mode: 'missing', field: 'interested' } }]);
    const { client, validations } = clientFor(sim, 'api-user');
    await expect(client.fetch({ kind: 'stats', workspaceId: id, ...MTD }, CTX)).rejects.toMatchObject({ code: 'UPSTREAM_INVALID_PAYLOAD' });
    expect(validations).toEqual([expect.objectContaining({ field: 'data.interested', actual: 'missing', workspaceId: id })]);
    expect(sim.control.counters().byEndpoint['GET /api/workspaces/v1.1/stats']).toBe(1);
  });

  it('recovers from the simulator\'s 429s by pausing the key for Retry-After', async () => {
    const sim = await simulator({ clock: systemClock, rateLimit: { perMinute: 60, burst: 3 } });
    const id = sim.world.workspaces[1].id;
    // Deliberately faster than the upstream allows, to provoke 429s.
    const { client, attempts } = clientFor(sim, 'api-user', { concurrency: 4 });
    const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'];
    const stats = await Promise.all(days.map((d) => client.fetch({ kind: 'stats', workspaceId: id, start: d, end: d }, CTX)));
    expect(stats).toHaveLength(5);
    expect(attempts.some((a) => a.statusCode === 429)).toBe(true);
    expect(attempts.filter((a) => a.success)).toHaveLength(5);
  });
});
