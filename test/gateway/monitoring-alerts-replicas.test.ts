/**
 * Alerts from three running gateways on one Postgres (the gateway's own wiring: each runs the
 * health monitor every 50 ms, ALERT_WEBHOOK_URL points at a local receiver). One workspace's stats
 * start failing: one alert, not three. The alerting replica and another then stop; the third takes
 * alerting over, and the incident opened before the handover gets exactly one recovery from it.
 *
 * As in monitoring-alerts.test.ts, the clock runs two hours behind the database, so failed attempts
 * fall outside the health view's last-hour window and only what recovers weighs on the score.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock';
import { startSimulator, type Simulator } from '../../src/simulator';
import { dropSchema } from '../../src/sources/db';
import { TEST_DATABASE_URL } from '../support/databases';
import { createTestGateway, TEST_ENCRYPTION_KEY, type TestGateway } from '../support/gateway';
import { settled } from './resilience-support';
import { startAlertReceiver, type AlertReceiver } from '../support/alert-receiver';

const STATS = 'GET /api/workspaces/v1.1/stats';
const CHECK_EVERY_MS = 50;


const someChecks = () => new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS * 8));

describe('alerts from three running replicas', () => {
  const clock = new ManualClock(Date.now() - 2 * 3_600_000);
  const dbSchema = `gw_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let receiver: AlertReceiver;
  let sim: Simulator;
  let replicas: TestGateway[] = [];
  let broken: number;
  let survivor: TestGateway;
  const holder = async () => (await replicas[replicas.length - 1].gateway.services.db.query<{ holder: string }>('SELECT holder FROM alert_leases')).rows[0]?.holder;
  // The stats incident's messages (on a loaded machine another incident may come and go: it must not repeat either).
  const opened = () => receiver.texts.filter((m) => m.startsWith(':rotating_light:') && m.includes('`/api/workspaces/v1.1/stats`'));
  const resolved = () => receiver.texts.filter((m) => m.startsWith(':white_check_mark:') && m.includes('`/api/workspaces/v1.1/stats`'));
  const noRepeats = () => expect(new Set(receiver.texts).size).toBe(receiver.texts.length);

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    sim = await startSimulator({ clock, seed: 'test', rateLimit: false, workspaces: 4, mailboxes: 40 });
    for (let i = 0; i < 3; i++) {
      replicas.push(await createTestGateway({
        clock, simulator: sim, database: 'postgres', dbSchema,
        env: { ALERT_WEBHOOK_URL: receiver.url, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }, // one registry: one key
        gateway: { healthCheckIntervalMs: CHECK_EVERY_MS },
      }));
    }
    broken = (await replicas[0].gateway.services.registry.list({ activeOnly: true }))[0].workspaceId;
    for (const r of replicas) await r.gateway.start();
    for (const r of replicas) {
      await r.query('{ kpi { totals { clients } } }');
      await r.gateway.services.recorder.flush();
    }
    for (const r of replicas) await settled(r); // priming is over: only the survivor's reads will fail below
  }, 120_000);
  afterAll(async () => {
    for (const r of replicas) await r.close();
    await sim?.close();
    await receiver?.close();
    await dropSchema(TEST_DATABASE_URL, dbSchema);
  });

  it('an outage is announced once, not once per replica', async () => {
    sim.control.setFaults([{ endpoint: STATS, workspaceId: broken, errorRate: 1 }]);
    // The replica that will stay is one that does not send the alerts now.
    const leader = await holder();
    expect(replicas.map((r) => r.gateway.services.instanceId)).toContain(leader);
    survivor = replicas.find((r) => r.gateway.services.instanceId !== leader)!;
    // Read through it: its open breakers outlive the other replicas' stopping (a stopped replica's
    // row in gateway_runtime_state, and its breakers, go when it closes).
    const last = survivor;
    await last.query(`mutation { refresh(dashboard: KPI, workspaceId: ${broken}) { state } }`);
    await last.gateway.services.recorder.flush();
    await vi.waitFor(() => expect(opened()).toHaveLength(1), { timeout: 10_000, interval: 20 });
    await someChecks();
    expect(opened()).toHaveLength(1);
    expect(opened()[0]).toContain('Email Bison `/api/workspaces/v1.1/stats` failing for 1 workspace since ');
    noRepeats();
  });

  it('two replicas stop; the last one sends the one recovery of the incident opened before', async () => {
    // The alerting replica and another stop (the alerting one gives the lease up as it stops).
    for (const r of replicas.filter((r) => r !== survivor)) await r.close();
    replicas = [survivor];
    const last = survivor;
    sim.control.clearFaults();
    clock.advance(31_000); // the breakers' open period: the next call is their probe
    for (let i = 0; i < 2; i++) await last.query(`mutation { refresh(dashboard: KPI, workspaceId: ${broken}) { state } }`);
    await last.gateway.services.recorder.flush();
    await vi.waitFor(() => expect(resolved()).toHaveLength(1), { timeout: 10_000, interval: 20 });
    await someChecks();
    expect(resolved()).toHaveLength(1);
    expect(opened()).toHaveLength(1);
    expect(resolved()[0].replace(/^.*resolved: /, '')).toBe(opened()[0].replace(/^.*\*bison-gateway\*: /, ''));
    noRepeats();
    expect(await holder()).toBe(survivor.gateway.services.instanceId); // it took alerting over
  });
});
