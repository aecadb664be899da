/**
 * B1 cold load: a gateway with empty caches (no priming) is asked for the KPI dashboard; the time
 * until the full answer is compared with the seed's two loading strategies and with the lower
 * bound the upstream's latency and the pool's concurrency allow.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulator } from '../../src/simulator';
import { startChild } from '../lib/child';
import { post } from '../lib/load';
import { expectedFrom, problemWith } from '../lib/queries';
import { LATENCY, STATS_ENDPOINT, callsTo, upstreamEnv } from '../lib/upstream';
import { median, ms, ratio, s, table, type Section } from '../lib/report';
import { clientIds, seedLoad, windowsOf } from './seed-baselines';
import { keyedRow, oneKeyBound, superAdminOnlyLoad, type Pacing } from './b1-keys';

const WINDOWS_PER_CLIENT = 6; // kpiPlan: mtd, last7, prev7, last14, last30, lastMonth

/**
 * The expected finish of a perfect sliding-window pool with no overhead: `calls` latencies drawn
 * uniformly, each started the moment a slot frees (Monte Carlo mean). What the gateway could at best do.
 */
function idealPoolMakespan(calls: number, slots: number, trials = 2000): number {
  let total = 0;
  for (let t = 0; t < trials; t++) {
    const freeAt = new Array<number>(Math.min(slots, calls)).fill(0);
    for (let i = 0; i < calls; i++) {
      let k = 0;
      for (let j = 1; j < freeAt.length; j++) if (freeAt[j] < freeAt[k]) k = j;
      freeAt[k] += LATENCY.min + Math.random() * (LATENCY.max - LATENCY.min);
    }
    total += Math.max(...freeAt);
  }
  return total / trials;
}

export interface ColdOptions {
  concurrency: number;
  runs: number;
  /** Run the seed's one-by-one load too (about 40 s). */
  sequentialBaseline: boolean;
  /** The super-admin-key-only rows (mint round; minting refused, about 4 min). @default true */
  keyRows?: boolean;
}

async function coldLoad(sim: Simulator, concurrency: number) {
  const file = join(tmpdir(), `bench-dispatch-${process.pid}-${Date.now()}.json`);
  const child = await startChild({ script: 'gateway-server.ts', env: { ...upstreamEnv(sim), BENCH_PRIME: '0', UPSTREAM_CONCURRENCY: String(concurrency), BENCH_DISPATCH_FILE: file } });
  const load = await timedLoad(sim, child, (text) => problemWith('kpi', text, expectedFrom(sim.world)));
  const left = JSON.parse(readFileSync(file, 'utf8')) as number[];
  rmSync(file, { force: true });
  if (left.length === 0) throw new Error('B1: the bench server saw no upstream request leave (undici:client:sendHeaders): does the client still use fetch()?');
  /** When the gateway sent its first and last upstream request, ms after the query reached it (the gateway's own clock). */
  return { ...load, firstLeft: Math.min(...left), lastLeft: Math.max(...left) };
}

/** The same calls sent at once by a bare node:http client in a fresh process (../bare-client.ts): the rig's floor. */
async function bareLoad(sim: Simulator) {
  const calls = clientIds(sim).flatMap((id) => windowsOf(sim, id));
  const child = await startChild({ script: 'bare-client.ts', env: { BENCH_CALLS: JSON.stringify(calls) } });
  return timedLoad(sim, child, (text) => {
    const { ok } = JSON.parse(text) as { ok: number };
    return ok === calls.length ? null : `${calls.length - ok} of ${calls.length} calls failed`;
  });
}

/** Asks a fresh child (once it is quiet) for the load and times it against the simulator's arrivals; stops the child. */
async function timedLoad(sim: Simulator, child: Awaited<ReturnType<typeof startChild>>, check: (text: string) => string | null) {
  try {
    await quiet(child);
    sim.control.resetCounters();
    const asked = Date.now(); // the simulator stamps arrivals with the same clock
    const answer = await post(child.url, 'kpi');
    const problem = answer.status !== 200 ? `HTTP ${answer.status}` : check(answer.text);
    const counters = sim.control.counters();
    const arrivals = counters.recent.filter((r) => r.endpoint === STATS_ENDPOINT).map((r) => r.at - asked);
    return {
      ms: answer.ms, calls: callsTo(sim, STATS_ENDPOINT), peak: counters.peakInFlight, problem,
      /** When the first and the last upstream call arrived, ms after the query was sent. */
      firstCall: Math.min(...arrivals), lastCall: Math.max(...arrivals),
    };
  } finally {
    await child.stop();
  }
}

/**
 * Waits until the fresh process has finished its start-up work (no CPU for 300 ms, at most 5 s):
 * the cold load measures empty caches, not a query racing the start-up's last steps.
 */
async function quiet(child: { cpuMs(): number }): Promise<void> {
  const until = Date.now() + 5000;
  let last = child.cpuMs();
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 300));
    const now = child.cpuMs();
    if (now - last < 5) return;
    last = now;
  }
}

const timeline = (r: { ms: number; firstCall: number; lastCall: number; lastLeft?: number }) =>
  `${ms(r.firstCall)} / ${ms(r.lastCall)} / ${ms(r.ms)}${r.lastLeft === undefined ? '' : ` (last left the gateway at ${ms(r.lastLeft)})`}`;

export async function coldScenario(sim: Simulator, options: ColdOptions): Promise<Section> {
  const calls = clientIds(sim).length * WINDOWS_PER_CLIENT;
  const c = options.concurrency;
  const rounds = Math.ceil(calls / c);
  const strictBound = rounds * LATENCY.min;
  const meanBound = rounds * ((LATENCY.min + LATENCY.max) / 2);
  const ideal = idealPoolMakespan(calls, c);
  const idealWide = idealPoolMakespan(calls, calls);

  const runs = [];
  for (let i = 0; i < options.runs; i++) runs.push(await coldLoad(sim, c));
  const wides = []; // one round: the pool is no constraint at all
  for (let i = 0; i < options.runs; i++) wides.push(await coldLoad(sim, calls));
  const medianRun = <T extends { ms: number }>(xs: T[]) => xs.slice().sort((a, b) => a.ms - b.ms)[xs.length >> 1];
  const wide = medianRun(wides);
  const bares = []; // the floor: the same calls from a client that does nothing else
  for (let i = 0; i < options.runs; i++) bares.push(await bareLoad(sim));
  const bare = medianRun(bares);
  const batches = [];
  for (let i = 0; i < options.runs; i++) batches.push(await seedLoad(sim, 5));
  const sequential = options.sequentialBaseline ? await seedLoad(sim, 1) : null;

  const gw = median(runs.map((r) => r.ms));
  const pacing: Pacing = { ratePerMinute: Number(process.env.UPSTREAM_RATE_PER_MINUTE ?? 50), burst: Number(process.env.UPSTREAM_BURST ?? 8) };
  const keyed = options.keyRows === false ? null : await keyedRows(sim, c, pacing, gw);
  const batch5 = median(batches.map((b) => b.ms));
  const problems = [...runs, ...wides, ...bares].map((r) => r.problem).filter(Boolean);
  const callsOk = runs.concat(wides).every((r) => r.calls === calls);
  const seedFailures = batches.reduce((n, b) => n + b.failures, 0) + (sequential?.failures ?? 0);

  const rows: (string | number)[][] = [
    [`gateway, UPSTREAM_CONCURRENCY=${c} (median of ${runs.length})`, s(gw), runs.map(timeline).join('; '), `${runs[0].calls} (peak ${runs[0].peak} in flight)`, ratio(gw / strictBound)],
    [`gateway, UPSTREAM_CONCURRENCY=${calls} (one round, median of ${wides.length})`, s(wide.ms), wides.map(timeline).join('; '), `${wide.calls} (peak ${wide.peak})`, ratio(wide.ms / LATENCY.min)],
    [`bare node:http client: the same ${calls} calls at once from a fresh process, nothing else (the rig's floor, median of ${bares.length})`, s(bare.ms), bares.map(timeline).join('; '), String(bare.calls), ratio(bare.ms / LATENCY.min)],
    [`seed: batches of 5 workspaces (median of ${batches.length})`, s(batch5), batches.map((b) => s(b.ms)).join(', '), String(batches[0].calls), ratio(batch5 / strictBound)],
    sequential
      ? ['seed: one workspace at a time', s(sequential.ms), '', String(sequential.calls), ratio(sequential.ms / strictBound)]
      : ['seed: one workspace at a time', 'skipped (--quick)', '', '', ''],
    [`lower bound: ceil(${calls} / ${c}) × ${LATENCY.min} ms`, s(strictBound), `mean-latency form: ${rounds} × ${(LATENCY.min + LATENCY.max) / 2} ms = ${s(meanBound)}`, '', '1.00×'],
    [`perfect pool of ${c}, no overhead (expected, Monte Carlo)`, s(ideal), `gateway ÷ this: ${ratio(gw / ideal)}; one round (${calls} slots): ${s(idealWide)}, gateway ÷ this: ${ratio(wide.ms / idealWide)}, bare client ÷ this: ${ratio(bare.ms / idealWide)}`, '', ratio(ideal / strictBound)],
    ...(keyed?.rows ?? []),
  ];
  const markdown = [
    `${clientIds(sim).length} client workspaces × ${WINDOWS_PER_CLIENT} stats windows = **${calls} upstream calls**, upstream latency uniform ${LATENCY.min}–${LATENCY.max} ms, simulator rate limit off, gateway pacing at its defaults (50/min, burst 8 per key).`,
    '',
    table(['Load', 'Time to full KPI answer', 'Runs (gateway: first call / last call started / answer)', 'Upstream stats calls', 'vs lower bound'], rows),
    '',
    'Each gateway run is a fresh process, asked once its start-up work is done (no CPU for 300 ms). "First call" is when the',
    'first upstream request reached the simulator after the query was sent, "last call started" when the last one did ("left the gateway": when the',
    'gateway wrote its headers to the socket, after the query reached it, by its own clock); the answer follows the last',
    'call by its latency (1.2–1.5 s) plus the gateway\'s arithmetic and serialization.',
    '',
    `**The rig's floor.** The bare-client row sends the same ${calls} calls from a fresh process that does nothing else (plain`,
    '`node:http`, bench/bare-client.ts), asked the same way: how soon the simulator (in the bench process, on the other core)',
    'can see the calls at all. One round of the gateway is to be read against it as well as against the perfect pool: what',
    'the gateway adds beyond the floor is its own work (GraphQL, cache, scheduler, validation).',
    '',
    `Gateway speed-up: **${ratio(batch5 / gw)}** faster than the seed's batches of 5` + (sequential ? `, **${ratio(sequential.ms / gw)}** faster than one by one.` : '.'),
    '',
    '**Lower bound.** Each call takes at least the upstream latency L, and a pool of C slots runs at most C at once, so some slot',
    'runs ceil(N / C) calls back to back: T ≥ ceil(N / C) × L_min. With N = ' + `${calls}, C = ${c}: ${rounds} × ${LATENCY.min} ms = ${s(strictBound)}` + ' (with the mean latency, ' + s(meanBound) + ').',
    `Per-key rate: the KPI dashboard needs ${WINDOWS_PER_CLIENT} calls per api-user key, within both the gateway's burst (8) and the assumed`,
    `real limit (60/min, burst 10), so pacing adds nothing: the bound stays latency-bound. It would bind with one super-admin key`,
    `for everything (calls then run one at a time and at most 1/s after the burst: T ≥ ${calls} × ${LATENCY.min} ms = ${s(calls * LATENCY.min)}),`,
    'or for the infrastructure dashboard (a 1,600-mailbox workspace is 107 pages on one key: ≥ (107 − 10) s ≈ 97 s at 60/min).',
    `The strict bound assumes every call at the minimum latency; with latencies spread over ${LATENCY.min}–${LATENCY.max} ms even a perfect`,
    `sliding-window pool of ${c} slots needs ${s(ideal)} on average (${ratio(ideal / strictBound)} the strict bound), so that row is the fair "limit".`,
    '',
    `**Why C = ${c}.** Cold load is upstream-latency-bound: the gateway is idle while it waits, so more slots cut the rounds`,
    `(C ≥ ${calls} makes it one round, ${s(wide.ms)} above). But every slot is a concurrent request to the agency's one Email Bison`,
    `instance; ${c} keeps that load moderate (at most ${Math.ceil(c / clientIds(sim).length)} per workspace on average) while a cold KPI load stays at ${rounds} rounds.`,
    ...(keyed?.notes ?? []),
  ].join('\n');
  return {
    id: 'B1',
    title: 'B1 cold load (empty caches, no priming)',
    markdown,
    checks: [
      { name: 'every cold answer correct', pass: problems.length === 0 && seedFailures === 0, detail: problems.length ? String(problems[0]) : `${runs.length + wides.length} gateway answers with ${clientIds(sim).length} rows, no errors; seed calls all 200` },
      { name: 'one upstream call per resource', pass: callsOk, detail: `${runs.concat(wides).map((r) => r.calls).join(', ')} stats calls; want ${calls}` },
      { name: 'within 1.15× of the lower bound', pass: gw <= strictBound * 1.15, detail: `${s(gw)} vs ${s(strictBound)} = ${ratio(gw / strictBound)} (strict bound)` },
      { name: 'within 1.15× of a perfect pool of the same size', pass: gw <= ideal * 1.15, detail: `${s(gw)} vs ${s(ideal)} = ${ratio(gw / ideal)}` },
      { name: 'one round within 1.1× of a perfect pool', pass: wide.ms <= idealWide * 1.1, detail: `${s(wide.ms)} vs ${s(idealWide)} = ${ratio(wide.ms / idealWide)}; the simulator saw the first call ${ms(wide.firstCall)} and the last ${ms(wide.lastCall)} after the query (a bare node:http client sending the same calls: ${ms(bare.firstCall)} and ${ms(bare.lastCall)}, answer ${s(bare.ms)} = ${ratio(bare.ms / idealWide)})` },
      { name: 'one round: every call leaves the gateway within 50 ms of the query', pass: wide.lastLeft <= 50, detail: `the last of ${calls} left ${ms(wide.lastLeft)} after the query reached the gateway, the first ${ms(wide.firstLeft)} (median run; by the gateway's clock, headers written to the socket)` },
      { name: 'faster than the seed', pass: gw < batch5, detail: `${ms(gw)} vs ${ms(batch5)}` },
      ...(keyed?.checks ?? []),
    ],
  };
}

/** The rows of a gateway that has only the super-admin key: with the mint round, and with minting refused. */
async function keyedRows(sim: Simulator, c: number, pacing: Pacing, apiUserCold: number) {
  const n = clientIds(sim).length;
  const env = { UPSTREAM_CONCURRENCY: String(c) };
  const minted = await superAdminOnlyLoad(sim, env);
  const unpaced = await superAdminOnlyLoad(sim, { ...env, UPSTREAM_BURST: String(c) });
  sim.control.setMinting(false);
  let refused;
  try {
    refused = await superAdminOnlyLoad(sim, env);
  } finally {
    sim.control.setMinting(true);
  }
  // Mint round: the n mints share the super-admin key's bucket, and the last workspace's data follows its key.
  const mintBound = oneKeyBound(n, 1, pacing).pacing + LATENCY.min;
  // Fallback: every call on the one key; a workspace's switch precedes its calls, after the refused mint.
  // The bound counts the calls the load needs (one mint to learn the refusal), not those it made.
  const needed = 1 + n + n * WINDOWS_PER_CLIENT;
  const fallback = oneKeyBound(needed, 1 + 2 * n, pacing);
  const paced = `${pacing.ratePerMinute}/min, burst ${pacing.burst}`;
  const rows = [
    keyedRow(`only the super-admin key: cold load incl. the mint round (pacing ${paced})`, minted, `${ratio(minted.ms / apiUserCold)} the api-user cold load`),
    keyedRow(`only the super-admin key, burst ${c} (pacing does not bind)`, unpaced, `${ratio(unpaced.ms / apiUserCold)} the api-user cold load`),
    keyedRow(`minting refused: super-admin fallback (pacing ${paced})`, refused, `${ratio(refused.ms / fallback.bound)} its bound (${s(fallback.bound)})`),
  ];
  const notes = [
    '',
    `**Only the super-admin key.** The gateway gets EMAIL_BISON_URL, the super-admin key, GATEWAY_ADMIN_TOKEN and ENCRYPTION_KEY and nothing`,
    `else; it registers the ${n} workspaces at start (before it listens) and mints their api-user keys inside the cold query`,
    '(REQUEST_DEADLINE_MS raised so that the one query waits for every row; with the default 10 s the first answer is partial). The',
    `${n} mints all go through the super-admin key, so its per-key pacing binds: T ≥ (${n} − B) × 60/R + 2 × L_min =`,
    `${s(mintBound)} at R = ${pacing.ratePerMinute}/min, B = ${pacing.burst} (the last mint waits for its token, then that workspace's data follows).`,
    `With a burst that covers the mint round (second row), the mints run in one round and the load is one mint latency longer than with`,
    `keys registered beforehand. Email Bison's own limit (assumed 60/min, burst 10 per key) would bind the same way.`,
    '',
    `**Minting refused.** The mints go out in parallel; the first 403 withdraws those still waiting for a token (here ${refused.mints} were sent),`,
    `and every workspace is served with the super-admin key, in workspace groups: one switch, then that workspace's ${WINDOWS_PER_CLIENT} calls`,
    `together. The load needs N = ${needed} calls on one key (1 mint to learn the refusal + ${n} switches + ${n * WINDOWS_PER_CLIENT} stats), so`,
    `T ≥ max(serial latency, pacing) = max((1 + 2 × ${n}) × L_min, (N − B) × 60/R + L_min) = max(${s(fallback.latency)}, ${s(fallback.pacing)}) = ${s(fallback.bound)}.`,
    `Every row is checked against the ledger (last month's leads per workspace, a closed month), so mixed workspaces would fail the row.`,
  ];
  const checks = [
    { name: 'super-admin key only: every row correct, one mint per workspace', pass: !minted.problem && !unpaced.problem && minted.mints === n && unpaced.mints === n,
      detail: minted.problem ?? unpaced.problem ?? `${minted.mints} and ${unpaced.mints} mints, ${n} rows each` },
    { name: 'super-admin key only: within 1.3× of the api-user cold load', pass: !minted.problem && minted.ms <= apiUserCold * 1.3,
      detail: `${s(minted.ms)} vs ${s(apiUserCold)} = ${ratio(minted.ms / apiUserCold)} (pacing bound ${s(mintBound)}); burst ${c}: ${ratio(unpaced.ms / apiUserCold)}` },
    { name: 'minting refused: every row correct, fewer switches than calls', pass: !refused.problem && refused.mints >= 1 && refused.mints <= n && refused.switches < refused.stats,
      detail: refused.problem ?? `${refused.mints} mint attempt(s) (${refused.mintStatuses}), ${refused.switches} switches for ${refused.stats} stats calls` },
    { name: 'minting refused: within 1.15× of its bound', pass: !refused.problem && refused.ms <= fallback.bound * 1.15,
      detail: `${s(refused.ms)} vs ${s(fallback.bound)} = ${ratio(refused.ms / fallback.bound)}` },
  ];
  return { rows, notes, checks };
}
