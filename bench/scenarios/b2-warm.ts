/**
 * B2 warm: after priming, many clients ask for the dashboards as fast as they can. Compared with
 * a bare Yoga server answering the same JSON from memory (the ceiling); plus the gateway's CPU per
 * request and, from a separate profiled run, where that CPU goes.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulator } from '../../src/simulator';
import { startChild, type ServerChild } from '../lib/child';
import { allCorrect, describeCorrectness, post, runLoad, type LoadResult } from '../lib/load';
import { DASHBOARDS, expectedFrom, problemWith, type Dashboard } from '../lib/queries';
import { cacheMisses, upstreamEnv, waitForQuiet } from '../lib/upstream';
import { nowUs, summariseProfile } from '../lib/profile';
import { runPaced } from '../lib/paced';
import { int, ratio, table, type Check, type Section } from '../lib/report';

export interface WarmOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  concurrency: number;
  profile: boolean;
}

/** Priming at full speed: pacing is not what B2 measures (B1 states the rate-bound case). */
export const FAST_PACING = { UPSTREAM_RATE_PER_MINUTE: '100000', UPSTREAM_BURST: '1000' };

export async function startPrimedGateway(sim: Simulator, env: Record<string, string>, nodeFlags: string[] = []): Promise<ServerChild> {
  sim.control.resetCounters();
  const child = await startChild({ script: 'gateway-server.ts', env: { ...upstreamEnv(sim), ...FAST_PACING, ...env }, nodeFlags });
  await waitForQuiet(sim, { minCalls: 2 });
  return child;
}

interface Measured extends LoadResult {
  cpuMsPerRequest: number;
}

/** Open loop at an even `rate` (requests/s), below saturation: the latency one user sees. */
async function measurePaced(child: ServerChild, sim: Simulator, o: WarmOptions, rate: number): Promise<Measured> {
  const cpu0 = child.cpuMs();
  const r = await runPaced({ url: child.url, dashboard: 'kpi', expected: expectedFrom(sim.world), rate, durationSeconds: o.durationSeconds });
  return { ...r, cpuMsPerRequest: (child.cpuMs() - cpu0) / Math.max(1, r.requests) };
}

async function measure(child: ServerChild, dashboards: Dashboard[], sim: Simulator, o: WarmOptions): Promise<Measured> {
  let cpu0 = 0;
  const r = await runLoad({
    url: child.url, dashboards, expected: expectedFrom(sim.world), connections: o.connections,
    durationSeconds: o.durationSeconds, warmupSeconds: o.warmupSeconds, onMeasureStart: () => (cpu0 = child.cpuMs()),
  });
  return { ...r, cpuMsPerRequest: (child.cpuMs() - cpu0) / Math.max(1, r.requests) };
}

const row = (label: string, r: Measured) =>
  [label, int(r.rps), r.p50.toFixed(1), r.p99.toFixed(1), r.max.toFixed(0), r.cpuMsPerRequest.toFixed(2), r.non2xx, allCorrect(r) ? 'all correct' : describeCorrectness(r)];

export async function warmScenario(sim: Simulator, o: WarmOptions): Promise<Section> {
  const expected = expectedFrom(sim.world);
  const gateway = await startPrimedGateway(sim, { UPSTREAM_CONCURRENCY: String(o.concurrency) });
  let kpi: Measured, paced: Measured, mixed: Measured, misses: Record<string, number>;
  const answers: Record<string, unknown> = {};
  try {
    for (const d of DASHBOARDS) {
      const a = await post(gateway.url, d);
      const problem = a.status === 200 ? problemWith(d, a.text, expected) : `HTTP ${a.status}`;
      if (problem) throw new Error(`B2: the primed gateway's ${d} answer is wrong: ${problem}`);
      answers[d] = (JSON.parse(a.text) as { data: Record<string, unknown> }).data[d];
    }
    kpi = await measure(gateway, ['kpi'], sim, o);
    paced = await measurePaced(gateway, sim, o, Math.max(1, Math.floor(kpi.rps / 2)));
    mixed = await measure(gateway, DASHBOARDS, sim, o);
    misses = await cacheMisses(gateway.url);
  } finally {
    await gateway.stop();
  }

  const dataFile = join(mkdtempSync(join(tmpdir(), 'bench-ceiling-')), 'dashboards.json');
  writeFileSync(dataFile, JSON.stringify(answers));
  const ceiling = await startChild({ script: 'ceiling-server.ts', env: { BENCH_CEILING_DATA: dataFile } });
  let ceilKpi: Measured, ceilMixed: Measured;
  try {
    ceilKpi = await measure(ceiling, ['kpi'], sim, o);
    ceilMixed = await measure(ceiling, DASHBOARDS, sim, o);
  } finally {
    await ceiling.stop();
  }

  const profile = o.profile ? await profileWarm(sim, o) : null;
  const totalMisses = Object.values(misses).reduce((a, b) => a + b, 0);
  const checks: Check[] = [
    { name: 'every warm response correct', pass: [kpi, paced, mixed, ceilKpi, ceilMixed].every(allCorrect), detail: `gateway KPI: ${describeCorrectness(kpi)}; all four: ${describeCorrectness(mixed)}` },
    { name: 'no warm read waited on the upstream', pass: totalMisses === 0, detail: `cache misses after priming: ${JSON.stringify(misses)}` },
    { name: 'KPI p99 under 25 ms (64 connections, saturated)', pass: kpi.p99 < 25, detail: `p99 ${kpi.p99.toFixed(1)} ms at ${int(kpi.rps)} requests/s` },
    { name: 'KPI p99 under 25 ms at half the saturated rate', pass: paced.p99 < 25, detail: `p99 ${paced.p99.toFixed(1)} ms at ${int(paced.rps)} requests/s` },
    { name: 'KPI ≥ 60 % of the bare server’s requests/s', pass: kpi.rps >= 0.6 * ceilKpi.rps, detail: `${int(kpi.rps)} vs ${int(ceilKpi.rps)} = ${(100 * kpi.rps / ceilKpi.rps).toFixed(0)} %` },
    { name: 'all four ≥ 60 % of the bare server’s requests/s', pass: mixed.rps >= 0.6 * ceilMixed.rps, detail: `${int(mixed.rps)} vs ${int(ceilMixed.rps)} = ${(100 * mixed.rps / ceilMixed.rps).toFixed(0)} %` },
  ];
  const markdown = [
    `${o.connections} concurrent connections, ${o.warmupSeconds} s warm-up then ${o.durationSeconds} s measured, every response body checked. "All four" rotates the KPI, volume, revenue and infrastructure queries on each connection.`,
    '',
    table(['Server', 'Requests/s', 'p50 ms', 'p99 ms', 'max ms', 'CPU ms/request', 'Non-2xx', 'Correctness'], [
      row('gateway: KPI', kpi),
      row(`gateway: KPI, ${int(paced.rps)} requests/s at even intervals (half of the above)`, paced),
      row('bare Yoga, same JSON: KPI', ceilKpi),
      row('gateway: all four dashboards', mixed),
      row('bare Yoga, same JSON: all four', ceilMixed),
    ]),
    '',
    `Gateway vs ceiling: KPI ${ratio(kpi.rps / ceilKpi.rps)} of the bare server's requests/s, all four ${ratio(mixed.rps / ceilMixed.rps)}.`,
    'CPU ms/request = the server process\'s user + system CPU time (from /proc) over the measured run ÷ requests answered.',
    'With closed-loop clients at saturation, latency is set by Little\'s law: p50 ≈ connections ÷ requests/s (64 ÷ rps), so a',
    'p99 under 25 ms with 64 busy clients needs about 2,600 requests/s on one core, ~0.4 ms CPU per request. The paced row offers',
    'half the saturated rate at even intervals (open loop, latency from the scheduled send time) and shows the latency a request sees below saturation.',
    ...(profile ? ['', profile] : []),
  ].join('\n');
  return { id: 'B2', title: 'B2 warm load', markdown, checks };
}

/** A separate run under `node --cpu-prof` (profiling slows the server, so its figures are not the ones above). */
async function profileWarm(sim: Simulator, o: WarmOptions): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const child = await startPrimedGateway(sim, { UPSTREAM_CONCURRENCY: String(o.concurrency) }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  let from = 0;
  let to = 0;
  let r: LoadResult;
  try {
    r = await runLoad({
      url: child.url, dashboards: ['kpi'], expected: expectedFrom(sim.world), connections: o.connections,
      durationSeconds: o.durationSeconds, warmupSeconds: o.warmupSeconds, onMeasureStart: () => (from = nowUs()),
    });
  } finally {
    to = nowUs();
    await child.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return '_Profile: no .cpuprofile was written._';
  const p = summariseProfile(join(dir, file), from, to);
  const perRequest = (msValue: number) => (msValue / Math.max(1, r.requests)).toFixed(3);
  return [
    `**Where a warm KPI request's CPU goes** (\`node --cpu-prof\` on the gateway child, ${int(r.requests)} requests in the window, ${int(p.busyMs)} ms busy CPU = ${perRequest(p.busyMs)} ms/request; self time of profile nodes attributed by file path; profile kept at \`${join(dir, file)}\`):`,
    '',
    table(['Category', 'Share of busy CPU', 'ms/request'], p.categories.map((c) => [c.name, `${(100 * c.share).toFixed(1)} %`, perRequest(c.ms)])),
    '',
    'Top functions by self time:',
    '',
    table(['Function', 'ms/request'], p.topFunctions.map((f) => [`\`${f.name}\``, perRequest(f.ms)])),
  ].join('\n');
}
