/**
 * The simulator the bench runs in its own process (on the load core), so its counters are the
 * ground truth for "how many upstream calls did the gateway make".
 */
import { startSimulator, type Simulator } from '../../src/simulator';
import { ADMIN_TOKEN } from './child';

export const STATS_ENDPOINT = 'GET /api/workspaces/v1.1/stats';
/** The seed's scenario: Email Bison's typical latency. */
export const LATENCY = { min: 1200, max: 1500 };

export async function startBenchSimulator(options: { mailboxes?: number } = {}): Promise<Simulator> {
  // Rate limit off: the gateway's own pacing (UPSTREAM_RATE_PER_MINUTE) is what is measured; the
  // report states the bound the real API's limit would add.
  return startSimulator({ latencyMs: LATENCY, rateLimit: false, mailboxes: options.mailboxes ?? 4500 });
}

/** Environment that points a gateway child at this simulator with one api-user key per workspace. */
export function upstreamEnv(sim: Simulator): Record<string, string> {
  return { BENCH_UPSTREAM: JSON.stringify({ url: sim.url, superAdminKey: sim.superAdminKey, apiKeys: [...sim.apiKeys] }) };
}

export function callsTo(sim: Simulator, endpoint: string): number {
  return sim.control.counters().byEndpoint[endpoint] ?? 0;
}

/** Waits until the simulator has had nothing in flight and no new request for `quietMs` (priming done). */
export async function waitForQuiet(sim: Simulator, options: { quietMs?: number; minCalls?: number; timeoutMs?: number } = {}): Promise<number> {
  const { quietMs = 3000, minCalls = 1, timeoutMs = 600_000 } = options;
  const started = Date.now();
  let last = -1;
  let since = Date.now();
  for (;;) {
    const c = sim.control.counters();
    if (c.total !== last || c.inFlight > 0) {
      last = c.total;
      since = Date.now();
    } else if (c.total >= minCalls && Date.now() - since >= quietMs) {
      return Date.now() - started;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`upstream still busy after ${timeoutMs} ms (${c.total} calls, ${c.inFlight} in flight)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Reads that had to wait for the upstream (cache misses) per resource kind, from `cacheStats`. */
export async function cacheMisses(gatewayUrl: string): Promise<Record<string, number>> {
  const res = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query: '{ cacheStats { resource misses } }' }),
  });
  const json = (await res.json()) as { data?: { cacheStats: { resource: string; misses: number }[] }; errors?: unknown };
  if (!json.data) throw new Error(`cacheStats failed: ${JSON.stringify(json.errors)}`);
  const byKind: Record<string, number> = {};
  for (const e of json.data.cacheStats) byKind[e.resource] = (byKind[e.resource] ?? 0) + e.misses;
  return byKind;
}
