/**
 * B1 rows for a gateway given only EMAIL_BISON_URL, the super-admin key, GATEWAY_ADMIN_TOKEN and
 * ENCRYPTION_KEY (nothing registered beforehand): its cold KPI load includes discovering nothing
 * (done at start, before it listens) but the whole mint round (on demand, inside the query). And
 * the same with minting refused: the super-admin fallback, compared with its own lower bound under
 * per-key pacing. Every row is checked against the simulator's ledger.
 */
import type { Simulator } from '../../src/simulator';
import { calendarFor } from '../../src/resolvers/arithmetic/calendar';
import { kpiPlan } from '../../src/resolvers/plans';
import { startChild } from '../lib/child';
import { post } from '../lib/load';
import { expectedFrom, problemWith } from '../lib/queries';
import { LATENCY, STATS_ENDPOINT, callsTo } from '../lib/upstream';
import { ratio, s } from '../lib/report';
import { clientIds } from './seed-baselines';

export const MINT_ENDPOINT = 'POST /api/workspaces/v1.1/{team_id}/api-tokens';
export const SWITCH_ENDPOINT = 'POST /api/workspaces/v1.1/switch-workspace';
const ENCRYPTION_KEY = Buffer.alloc(32, 42).toString('base64');

export interface KeyedLoad {
  ms: number;
  problem: string | null;
  stats: number;
  mints: number;
  mintStatuses: string;
  switches: number;
  /** Calls the super-admin key made during the load. */
  superAdminCalls: number;
}

/** `positiveRepliesLastMonth` per row (a closed month: the ledger cannot move under it) against the ledger. */
function mixedRows(sim: Simulator, text: string): string | null {
  const rows = (JSON.parse(text) as { data: { kpi: { clients: { workspaceId: number; positiveRepliesLastMonth: number }[] } } }).data.kpi.clients;
  const cal = calendarFor(Date.now(), 'UTC');
  for (const row of rows) {
    const { start, end } = kpiPlan(row.workspaceId, cal).lastMonth;
    const want = sim.world.window(row.workspaceId, start, end).interested;
    if (row.positiveRepliesLastMonth !== want) return `workspace ${row.workspaceId}: ${row.positiveRepliesLastMonth} leads last month, the ledger says ${want}`;
  }
  if (new Set(rows.map((r) => r.positiveRepliesLastMonth)).size < rows.length / 2) return 'rows too alike to rule out mixing';
  return null;
}

/** A fresh gateway as on the agency's own instance (`BENCH_KEYS=mint`), asked for KPI once it listens. */
export async function superAdminOnlyLoad(sim: Simulator, env: Record<string, string>): Promise<KeyedLoad> {
  const child = await startChild({
    script: 'gateway-server.ts',
    // One request waits for the whole answer: with the default 10 s deadline the first answer would
    // be partial, the other rows landing in the cache at the moment measured here.
    env: { BENCH_UPSTREAM: JSON.stringify({ url: sim.url, superAdminKey: sim.superAdminKey, apiKeys: [] }), BENCH_KEYS: 'mint', BENCH_PRIME: '0', ENCRYPTION_KEY, REQUEST_DEADLINE_MS: '600000', ...env },
  });
  try {
    sim.control.resetCounters();
    const answer = await post(child.url, 'kpi');
    const problem = answer.status !== 200 ? `HTTP ${answer.status}` : problemWith('kpi', answer.text, expectedFrom(sim.world)) ?? mixedRows(sim, answer.text);
    const recent = sim.control.counters().recent;
    const mints = recent.filter((r) => r.endpoint === MINT_ENDPOINT);
    return {
      ms: answer.ms, problem, stats: callsTo(sim, STATS_ENDPOINT), mints: mints.length,
      mintStatuses: [...new Set(mints.map((m) => String(m.status)))].join('/'),
      switches: callsTo(sim, SWITCH_ENDPOINT), superAdminCalls: recent.filter((r) => r.key?.startsWith('super-admin')).length,
    };
  } finally {
    await child.stop();
  }
}

export interface Pacing {
  ratePerMinute: number;
  burst: number;
}

/**
 * Lower bound of a load whose `calls` all run on one key: the bucket starts with `burst` tokens
 * and refills one every 60/rate s, and the last call still takes L_min; nor can it beat the calls
 * that must follow each other (`serial` latencies, e.g. a switch before its workspace's calls).
 */
export function oneKeyBound(calls: number, serial: number, p: Pacing): { bound: number; pacing: number; latency: number } {
  const pacing = Math.max(0, calls - p.burst) * (60_000 / p.ratePerMinute) + LATENCY.min;
  const latency = serial * LATENCY.min;
  return { bound: Math.max(pacing, latency), pacing, latency };
}

export const keyedRow = (label: string, r: KeyedLoad, vs: string) =>
  [label, s(r.ms), `${r.mints} mints (${r.mintStatuses || '-'}), ${r.switches} switches, ${r.superAdminCalls} calls on the super-admin key`, String(r.stats), vs];

export const workspacesOf = (sim: Simulator) => clientIds(sim).length;
export { ratio };
