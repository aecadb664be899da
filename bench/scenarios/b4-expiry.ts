/**
 * B4 expiry under load: with a short KPI TTL, continuous load runs across several TTL periods.
 * Entries expire and are refreshed (ahead of expiry, or stale-while-revalidate) without any
 * request waiting on the upstream, and the upstream sees one call per resource per refresh.
 */
import type { Simulator } from '../../src/simulator';
import { allCorrect, describeCorrectness } from '../lib/load';
import { runPaced } from '../lib/paced';
import { expectedFrom } from '../lib/queries';
import { LATENCY, STATS_ENDPOINT, cacheMisses, callsTo } from '../lib/upstream';
import { int, ratio, table, type Section } from '../lib/report';
import { clientIds } from './seed-baselines';
import { startPrimedGateway } from './b2-warm';

/** A request that waited on the upstream takes at least its latency; warm answers take a few ms. */
const WARM_BAND_MS = 250;

/** Until the simulator has had nothing in flight for half a second. */
async function waitForNothingInFlight(sim: Simulator): Promise<void> {
  let idleSince = Date.now();
  for (;;) {
    if (sim.control.counters().inFlight > 0) idleSince = Date.now();
    else if (Date.now() - idleSince >= 500) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * `rate`: requests a second offered (open loop), below saturation, so the maximum latency shows
 * upstream waits and not queueing behind other requests (B2 measures saturation).
 */
export async function expiryScenario(sim: Simulator, options: { ttlSeconds: number; periods: number; rate: number; concurrency: number }): Promise<Section> {
  const { ttlSeconds, periods } = options;
  const resources = clientIds(sim).length * 6;
  const child = await startPrimedGateway(sim, { UPSTREAM_CONCURRENCY: String(options.concurrency), CACHE_TTL_KPI_SECONDS: String(ttlSeconds) });
  try {
    const durationSeconds = ttlSeconds * periods;
    // The window for counting upstream calls: from the end of priming until the refreshes started
    // during the load have landed, so no refresh is counted half.
    sim.control.resetCounters();
    const t0 = Date.now();
    const paced = { url: child.url, dashboard: 'kpi' as const, expected: expectedFrom(sim.world), rate: options.rate };
    await runPaced({ ...paced, durationSeconds: 2 }); // warm-up
    const r = await runPaced({ ...paced, durationSeconds });
    await waitForNothingInFlight(sim);
    const seconds = (Date.now() - t0) / 1000;
    const calls = callsTo(sim, STATS_ENDPOINT);
    const perWorkspace = Object.values(sim.control.counters().byWorkspace);
    const misses = await cacheMisses(child.url);
    const refreshes = calls / resources;
    const periodsSeen = seconds / ttlSeconds;
    const markdown = [
      `CACHE_TTL_KPI_SECONDS=${ttlSeconds}, ${options.rate} requests/s at even intervals (open loop, below saturation) for ${seconds.toFixed(1)} s (${periodsSeen.toFixed(1)} TTL periods) (2 s warm-up + measured run; upstream calls counted from the end of priming until the last refresh landed); upstream latency ${LATENCY.min}–${LATENCY.max} ms.`,
      '',
      table(['Requests', 'Requests/s', 'p50 ms', 'p99 ms', 'max ms', 'Upstream stats calls', 'Resources', 'Refreshes per resource', 'Calls per workspace (min–max)', 'Cache misses'], [[
        int(r.requests), int(r.rps), r.p50.toFixed(1), r.p99.toFixed(1), r.max.toFixed(0), calls, resources, refreshes.toFixed(2),
        `${Math.min(...perWorkspace)}–${Math.max(...perWorkspace)}`, JSON.stringify(misses),
      ]]),
      '',
      `Each resource was refreshed ${refreshes.toFixed(2)} times in ${periodsSeen.toFixed(1)} TTL periods (${ratio(refreshes / periodsSeen)} per period):`,
      'refresh-ahead starts a refresh once an entry is past half its TTL (on a 5 s timer), and a read of an expired entry',
      'serves it and refreshes in the background; one flight per key either way.',
    ].join('\n');
    return {
      id: 'B4',
      title: 'B4 expiry under load',
      markdown,
      checks: [
        { name: 'every response correct', pass: allCorrect(r), detail: describeCorrectness(r) },
        { name: `no request waited on the upstream (max < ${WARM_BAND_MS} ms, no misses)`, pass: r.max < WARM_BAND_MS && Object.values(misses).every((m) => m === 0), detail: `max ${r.max.toFixed(0)} ms; misses ${JSON.stringify(misses)}` },
        {
          name: 'upstream calls = resources × refreshes (one refresh per TTL period)',
          pass: refreshes >= Math.floor(periodsSeen) - 1 && refreshes <= Math.ceil(periodsSeen),
          detail: `${calls} calls = ${resources} × ${refreshes.toFixed(2)}, over ${periodsSeen.toFixed(1)} periods; per workspace ${Math.min(...perWorkspace)}–${Math.max(...perWorkspace)}`,
        },
      ],
    };
  } finally {
    await child.stop();
  }
}
