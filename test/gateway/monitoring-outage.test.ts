/**
 * The monitoring database goes away under load, through the whole gateway: Postgres sits behind a
 * TCP proxy we stop (refused and reset connections, as when the server goes down). Queries keep
 * being answered, also for a CLIENT token verified before the outage; /ready stays 200 and names
 * the database as degraded (a balancer must not take out a replica that serves); the recorder
 * keeps what it observed in its bounded buffer and writes it when the database is back:
 * everything when the outage fits the bound, else all but the oldest attempts, which are dropped
 * and counted (stats, /metrics, gateway_runtime_state).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/clock';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { TEST_DATABASE_URL } from '../support/databases';
import { postgresProxy, type TcpProxy } from '../support/tcp-proxy';

const MAX_BUFFER = 80;

describe('monitoring through a Postgres outage (gateway)', () => {
  let proxy: TcpProxy;
  let t: TestGateway;
  let clientToken: string;
  const recorder = () => t.gateway.services.recorder;
  const loggedAttempts = async () =>
    (await t.gateway.services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_health_logs')).rows[0].n;

  /** A forced refetch of every KPI resource (upstream traffic), then a dashboard read: both must succeed. */
  async function loadWhileDown() {
    const refreshed = await t.query('mutation { refresh(dashboard: KPI) { state origin } }');
    expect(refreshed.body.errors).toBeUndefined();
    expect(refreshed.body.data.refresh.origin).toBe('UPSTREAM');
    const kpi = await t.query('{ kpi { totals { clients } errors { code } } }');
    expect(kpi.body.errors).toBeUndefined();
    expect(kpi.body.data.kpi.errors).toEqual([]);
    expect(kpi.body.data.kpi.totals.clients).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    proxy = await postgresProxy(TEST_DATABASE_URL);
    t = await createTestGateway({
      database: 'postgres',
      env: { DATABASE_URL: proxy.urlFor(TEST_DATABASE_URL) },
      sim: { workspaces: 5, mailboxes: 100 },
      // Flushes are driven by the test; the timer would only race it.
      gateway: { recorder: { maxBuffer: MAX_BUFFER, flushIntervalMs: 3_600_000 } },
    });
    await t.query('{ kpi { totals { clients } } }');
    const workspaceId = t.sim.world.workspaces[1].id;
    clientToken = (await t.query('mutation($w: Int) { createApiToken(role: CLIENT, workspaceId: $w) }', { w: workspaceId })).body.data.createApiToken;
    expect((await t.query('{ workspaces { workspaceId } }', undefined, clientToken)).body.data.workspaces).toEqual([{ workspaceId }]);
    await recorder().flush();
    expect(recorder().stats()).toMatchObject({ pending: 0, dropped: 0, lastError: null });
    expect(await loggedAttempts()).toBe(t.upstreamCalls());
  });
  afterAll(async () => {
    await proxy?.start().catch(() => {});
    await t?.close();
    await proxy?.stop();
  });

  it('answers queries while the database is down and writes the whole backlog when it returns', async () => {
    await proxy.stop();
    await loadWhileDown();
    const ready = await t.gateway.fetch('http://gateway.test/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, database: false, degraded: ['database'], reason: 'serving, degraded: database unreachable' });
    // A token verified before the outage still works; one never seen cannot be checked: 503, not 401.
    const asClient = await t.query('{ kpi { clients { workspaceId } errors { code } } }', undefined, clientToken);
    expect(asClient.status).toBe(200);
    expect(asClient.body.data.kpi).toEqual({ clients: [{ workspaceId: t.sim.world.workspaces[1].id }], errors: [] });
    // The workspace list still answers (the registry's last good read, said so); a write says why it failed.
    const listed = await t.query('{ workspaces { workspaceId freshness { message } } }', undefined, clientToken);
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.workspaces).toEqual([{ workspaceId: t.sim.world.workspaces[1].id, freshness: { message: expect.stringContaining('the registry database is unreachable') } }]);
    const write = await t.query(`mutation { upsertClient(input: { workspaceId: ${t.sim.world.workspaces[1].id}, monthlyKpiTarget: 5 }) { workspaceId } }`);
    expect(write.body.errors?.[0]).toMatchObject({ message: "The gateway's database is unreachable; nothing was changed. Try again shortly.", extensions: { code: 'SERVICE_UNAVAILABLE' } });
    const unknown = await t.query('{ workspaces { workspaceId } }', undefined, `bgw_${'A'.repeat(43)}`);
    expect(unknown.status).toBe(503);
    expect(unknown.body.errors?.[0].extensions?.code).toBe('AUTH_UNAVAILABLE');
    // Also once the in-memory copy of the client registry is due for a re-read (it keeps the last good one).
    (t.clock as ManualClock).advance(10_000);
    await loadWhileDown();
    await recorder().flush();
    const during = recorder().stats();
    expect(during.lastError).not.toBeNull();
    expect(during.pending).toBeGreaterThan(0);
    expect(during.pending).toBeLessThan(MAX_BUFFER);
    expect(during.dropped).toBe(0);

    await proxy.start();
    await recorder().flush();
    expect(recorder().stats()).toMatchObject({ pending: 0, dropped: 0, lastError: null });
    expect(await loggedAttempts()).toBe(t.upstreamCalls());
  });

  it('beyond the bound drops only the oldest attempts, counts them, and writes the rest', async () => {
    await proxy.stop();
    for (let i = 0; i < 3; i++) await loadWhileDown();
    await recorder().flush();
    const peak = recorder().stats();
    expect(peak.lastError).not.toBeNull();
    expect(peak.pending).toBe(MAX_BUFFER);
    expect(peak.dropped).toBeGreaterThan(0);

    await proxy.start();
    await recorder().flush();
    const after = recorder().stats();
    expect(after).toMatchObject({ pending: 0, lastError: null, dropped: peak.dropped });
    // Every attempt the simulator answered is in the table, except exactly the dropped ones.
    expect(await loggedAttempts()).toBe(t.upstreamCalls() - after.dropped);

    const metrics = await (await t.gateway.fetch('http://gateway.test/metrics')).text();
    expect(metrics).toContain(`bison_monitoring_rows_dropped_total ${after.dropped}\n`);
    const state = await t.gateway.services.db.query<{ dropped_rows: number }>('SELECT dropped_rows FROM gateway_runtime_state');
    expect(state.rows).toEqual([{ dropped_rows: after.dropped }]);
  });
});
