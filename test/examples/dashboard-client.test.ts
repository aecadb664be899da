/**
 * examples/dashboard-client.ts against a gateway on a real port: it compiles (tsc covers
 * examples/), its typed queries, SSE subscription and persisted operation get real data, as a
 * function and as the script a developer runs.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../examples/dashboard-client';
import { listen, type Listening } from '../../src/server/http';
import { ADMIN_TOKEN, createTestGateway, type TestGateway } from '../support/gateway';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../src/generated/persisted-operations.json', import.meta.url));

describe('examples/dashboard-client.ts', () => {
  let t: TestGateway;
  let server: Listening;
  let url: string;

  beforeAll(async () => {
    t = await createTestGateway({ sim: { workspaces: 4, mailboxes: 120 }, env: { PERSISTED_OPERATIONS_FILE: MANIFEST } });
    server = await listen(t.gateway.handle, 0, '127.0.0.1');
    url = `${server.url}/graphql`;
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('gets the dashboards, a first SSE event, a streamed dashboard and a persisted answer, as the gateway has them', async () => {
    const report = await run({ url, token: ADMIN_TOKEN });
    const truth = (await t.query(`{ kpi { totals { clients leadsGenerated } clients { workspaceId name status } }
      infrastructure { mailboxes(filter: { providers: [GOOGLE] }) { totalCount } } }`)).body.data;
    expect(report.clients).toBe(truth.kpi.totals.clients);
    expect(report.clients).toBeGreaterThan(0);
    expect(report.leadsGenerated).toBe(truth.kpi.totals.leadsGenerated);
    expect(report.below).toEqual(truth.kpi.clients.filter((c: any) => c.status === 'BELOW').map((c: any) => c.name));
    expect(report.googleMailboxes).toBe(truth.infrastructure.mailboxes.totalCount);
    expect(report.firstMailboxes).toHaveLength(Math.min(3, report.googleMailboxes));
    for (const line of report.firstMailboxes) expect(line).toMatch(/@.* \(Google, \$[\d.]+\/month\)$/);
    expect(report.firstEvent).toMatchObject({ workspaceId: expect.any(Number), freshness: { state: expect.stringMatching(/^(FRESH|STALE|VERY_STALE|WARNING|ERROR)$/) } });
    expect(report.persistedClients).toBe(report.clients);
    // Every row streamed in, once, then the deferred totals.
    expect(report.streamedRows.map((r) => r.workspaceId).sort()).toEqual(truth.kpi.clients.map((c: any) => c.workspaceId).sort());
    expect(report.deferredClients).toBe(report.clients);
  });

  it('runs as a script with GATEWAY_URL and GATEWAY_TOKEN, and says what is missing without a token', async () => {
    const exec = promisify(execFile);
    const env = { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', GATEWAY_URL: url };
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'examples/dashboard-client.ts'], { cwd: ROOT, env: { ...env, GATEWAY_TOKEN: ADMIN_TOKEN } });
    expect(stdout).toMatch(/^\d+ clients, \d+ interested leads this month; below KPI: /);
    expect(stdout).toMatch(/\d+ Google mailboxes, first: /);
    expect(stdout).toMatch(/streamed \d+ KPI rows, then the deferred totals \(\d+ clients\)/);
    expect(stdout).toMatch(/persisted KpiDashboard: \d+ clients/);
    const failed = await exec(process.execPath, ['--import', 'tsx', 'examples/dashboard-client.ts'], { cwd: ROOT, env }).catch((err) => err);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/GATEWAY_TOKEN is not set/);
  });
});
