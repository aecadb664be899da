/**
 * `npm start` against a real instance (the simulator in another process' place) with only
 * EMAIL_BISON_URL, the super-admin key, GATEWAY_ADMIN_TOKEN and ENCRYPTION_KEY: the banner says
 * what was found, which key serves the workspaces (and that minting was refused, where it was),
 * and how to call the API, without printing a secret.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN = 'banner-admin-token-0123456789abcdef';
const ENCRYPTION_KEY = Buffer.alloc(32, 5).toString('base64');

let running: { child: ChildProcess; sim: Simulator }[] = [];
afterEach(async () => {
  for (const r of running) {
    // End the whole process group (the gateway and anything it started).
    if (r.child.exitCode === null) process.kill(-r.child.pid!, 'SIGKILL');
    await r.sim.close();
  }
  running = [];
});

/** Starts the gateway on `sim` and resolves with its banner (everything up to the Health line). */
async function bannerOf(sim: Simulator, env: Record<string, string> = {}): Promise<string> {
  const base = Object.fromEntries(['PATH', 'HOME', 'npm_config_cache'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { ...base, PORT: '0', LOG_LEVEL: 'silent', UPSTREAM_RATE_PER_MINUTE: '100000', UPSTREAM_BURST: '1000', EMAIL_BISON_URL: sim.url, EMAIL_BISON_API_KEY: sim.superAdminKey, GATEWAY_ADMIN_TOKEN: ADMIN, ENCRYPTION_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so afterEach can end it and its children together
  });
  running.push({ child, sim });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (/Call the API: .*\n/.test(stdout)) resolve(stdout);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before the banner:\n${stdout}\n${stderr}`)));
  });
}

describe('the start banner of a real instance', () => {
  it('says what was found, that api-user keys are minted, and how to call the API', async () => {
    const sim = await startSimulator({ seed: 'banner', rateLimit: false });
    const banner = await bannerOf(sim);
    const lines = banner.trim().split('\n');
    expect(lines[0]).toBe(`bison-gateway in front of Email Bison at ${sim.url}, with PGlite in memory and an in-memory cache.`);
    expect(lines[1]).toBe('Clients: 26 active of 26 Email Bison workspaces; every workspace is registered as a client (EMAIL_BISON_AUTO_REGISTER=false to curate the list yourself); discovery every 300 s.');
    expect(lines[2]).toMatch(/^Email Bison keys: \d+ workspace\(s\) on their own api-user key \(\d+ minted by the gateway, stored encrypted\)(; minting the other \d+ in the background)?\.$/);
    const url = /GraphiQL: {2}(http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(banner)![1];
    expect(lines.at(-1)).toBe(`Call the API: curl -s ${url}/graphql -H "authorization: Bearer $GATEWAY_ADMIN_TOKEN" -H 'content-type: application/json' ` +
      `-d '{"query":"{ kpi { totals { clients leadsGenerated } clients { name leadsGenerated status } errors { workspaceId message } } }"}'`);
    for (const secret of [ADMIN, ENCRYPTION_KEY, sim.superAdminKey]) expect(banner).not.toContain(secret);
    // And the curl line works as printed.
    const res = await fetch(`${url}/graphql`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ kpi { totals { clients } } }' }),
    });
    expect((await res.json()).data.kpi.totals.clients).toBe(26);
  }, 60_000);

  it('says loudly that minting was refused and what that costs', async () => {
    const sim = await startSimulator({ seed: 'banner', rateLimit: false, minting: false, latencyMs: 50 });
    const banner = await bannerOf(sim, { UPSTREAM_RATE_PER_MINUTE: '50', UPSTREAM_BURST: '8' });
    expect(banner).toContain(
      'Email Bison keys: MINTING REFUSED (403). The super-admin key serves 26 workspace(s) one at a time (correct, but slower); ' +
        'give them api-user keys with upsertClient(input: { workspaceId, apiKey }).\n',
    );
    // At the default pacing (burst 8), the first 403 withdraws the mints still waiting for a token.
    expect(sim.control.counters().byEndpoint['POST /api/workspaces/v1.1/{team_id}/api-tokens']).toBeLessThanOrEqual(10);
  }, 60_000);
});
