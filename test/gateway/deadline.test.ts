/**
 * The request deadline (REQUEST_DEADLINE_MS): a cold KPI load with one workspace hanging answers at
 * the deadline with every other row and a TIMEOUT error for the hanging one, and the fetches still
 * going on land in the cache, so the next read has that workspace too. `kpiStream` ends at the
 * deadline as well. (The upstream timeout per attempt is far longer than the deadline here.)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { KPI_QUERY, settled, type KpiAnswer } from './resilience-support';

const STATS = 'GET /api/workspaces/v1.1/stats';
// Generous for a loaded 2-core machine: 25 workspaces × 6 windows must be fetched within the deadline.
const DEADLINE_MS = 4_000;
const HANG_MS = 10_000;

describe('the request deadline', { timeout: 60_000 }, () => {
  let t: TestGateway;
  let workspaces: number[];

  beforeAll(async () => {
    t = await createTestGateway({ sim: { workspaces: 27, mailboxes: 270 }, env: { REQUEST_DEADLINE_MS: String(DEADLINE_MS), UPSTREAM_TIMEOUT_MS: '60000' } });
    workspaces = (await t.gateway.services.registry.list({ activeOnly: true })).map((c) => c.workspaceId);
    expect(workspaces).toHaveLength(26);
    await t.query('{ kpi { totals { clients } } }'); // warm the code paths and the simulator's ledgers
  });
  const cold = () => t.gateway.services.cache.clear(undefined, { keepFallback: false });
  afterAll(() => t.close());

  it('answers a cold KPI load with one hanging workspace at the deadline: 25 rows and a TIMEOUT for the other', async () => {
    const [hanging] = workspaces;
    await cold();
    t.sim.control.setFaults([{ endpoint: STATS, workspaceId: hanging, latencyMs: HANG_MS }]);
    const started = performance.now();
    const res = await t.query<KpiAnswer>(KPI_QUERY);
    const tookMs = performance.now() - started;
    expect(res.body.errors).toBeUndefined();
    const kpi = res.body.data!.kpi;
    expect(tookMs).toBeLessThan(HANG_MS); // it did not wait for the hanging workspace
    expect(kpi.clients.map((c) => c.workspaceId).sort((a, b) => a - b)).toEqual(workspaces.slice(1).sort((a, b) => a - b));
    expect(kpi.errors).toEqual([expect.objectContaining({ workspaceId: hanging, code: 'TIMEOUT', retryable: true })]);
    expect(kpi.errors[0].message).toContain(`${DEADLINE_MS} ms request deadline`);
    expect(kpi.freshness.state).not.toBe('FRESH'); // a dashboard missing a workspace is not complete

    // The fetches went on: once they land (no new call is made for them), a read has all 26.
    t.sim.control.resetCounters();
    await vi.waitFor(async () => {
      const next = (await t.query<KpiAnswer>(KPI_QUERY)).body.data!.kpi;
      expect(next.clients).toHaveLength(26);
      expect(next.errors).toEqual([]);
    }, { timeout: 3 * HANG_MS, interval: 200 });
    expect(t.upstreamCalls(STATS)).toBe(6); // the six windows of the slow workspace, answered once
    t.sim.control.clearFaults();
  });

  it('ends kpiStream at the deadline, with the rows that arrived', async () => {
    const [, hanging] = workspaces;
    await cold();
    t.sim.control.setFaults([{ endpoint: STATS, workspaceId: hanging, latencyMs: HANG_MS }]);
    const started = performance.now();
    const res = await t.query('{ kpiStream { workspaceId } }');
    expect(performance.now() - started).toBeLessThan(HANG_MS);
    const ids = res.body.data.kpiStream.map((r: { workspaceId: number }) => r.workspaceId);
    expect(ids).not.toContain(hanging);
    expect(ids).toHaveLength(25);
    await settled(t);
    t.sim.control.clearFaults();
  });
});
