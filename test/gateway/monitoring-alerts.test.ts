/**
 * Alerts through the gateway's own wiring: ALERT_WEBHOOK_URL points at a local HTTP receiver and
 * `gateway.start()` runs the health monitor (every 50 ms here). One workspace's stats start
 * failing: each incident (health, the open breaker, the workspace's data) is announced once however
 * many checks see it, and once more when it clears.
 *
 * The clock runs two hours behind the database, so the failed attempts fall outside the health
 * view's last-hour window: the score depends only on what recovers (cache errors, open breakers),
 * and the health incident clears with the rest.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestGateway, type TestGateway } from '../support/gateway';

const STATS = 'GET /api/workspaces/v1.1/stats';
const CHECK_EVERY_MS = 50;

async function startReceiver() {
  const texts: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      texts.push(JSON.parse(body).text);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`;
  return { url, texts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Lets the monitor run several more checks. */
const someChecks = () => new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS * 6));

describe('alerts from the running gateway', () => {
  const clock = new ManualClock(Date.now() - 2 * 3_600_000);
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let t: TestGateway;
  let broken: number;
  const opened = () => receiver.texts.filter((m) => m.startsWith(':rotating_light:'));
  const resolved = () => receiver.texts.filter((m) => m.startsWith(':white_check_mark:'));
  const refresh = async () => {
    await t.query(`mutation { refresh(dashboard: KPI, workspaceId: ${broken}) { state } }`);
    await t.gateway.services.recorder.flush();
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestGateway({
      database: 'postgres',
      clock,
      sim: { workspaces: 4, mailboxes: 80 },
      env: { ALERT_WEBHOOK_URL: receiver.url },
      gateway: { healthCheckIntervalMs: CHECK_EVERY_MS },
    });
    broken = (await t.gateway.services.registry.list({ activeOnly: true }))[0].workspaceId;
    await t.gateway.start();
    await t.query('{ kpi { totals { clients } } }');
    await t.gateway.services.recorder.flush();
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('stays quiet while everything is healthy', async () => {
    await someChecks();
    expect(receiver.texts).toEqual([]);
  });

  it('announces each incident once when a workspace starts failing', async () => {
    t.sim.control.setFaults([{ endpoint: STATS, workspaceId: broken, errorRate: 1 }]);
    await refresh();
    expect(t.gateway.services.breakers.snapshot()).toContainEqual(expect.objectContaining({ workspaceId: broken, state: 'open' }));

    await vi.waitFor(() => expect(opened()).toHaveLength(3), { timeout: 5_000, interval: 20 });
    await someChecks();
    const alerts = opened();
    expect(alerts).toHaveLength(3);
    expect(alerts.find((m) => m.includes('Gateway health'))).toMatch(/health (degraded|unhealthy): score \d+\/100/);
    expect(alerts.find((m) => m.includes('Circuit breaker open'))).toContain(`workspace ${broken} on \`/api/workspaces/v1.1/stats\``);
    expect(alerts.find((m) => m.includes('Data of'))).toContain(`workspace ${broken}: `);
    expect(resolved()).toEqual([]);
    expect(receiver.texts.join('\n')).not.toContain(t.sim.apiKeys.get(broken)!);
  });

  it('sends one recovery per incident when the workspace recovers', async () => {
    t.sim.control.clearFaults();
    clock.advance(31_000); // the breaker's open period: the next call is its probe
    await refresh(); // the probe closes the breaker; the calls refused meanwhile stay in error
    await refresh();
    expect(t.gateway.services.breakers.snapshot().filter((b) => b.state !== 'closed')).toEqual([]);

    await vi.waitFor(() => expect(resolved()).toHaveLength(3), { timeout: 5_000, interval: 20 });
    await someChecks();
    expect(resolved()).toHaveLength(3);
    expect(opened()).toHaveLength(3);
    const summaries = (list: string[]) => list.map((m) => m.replace(/^.*?\*bison-gateway\*(?: resolved)?: /, '')).sort();
    expect(summaries(resolved())).toEqual(summaries(opened()));
  });
});
