/**
 * B3 fan-in: many identical cold queries at once must cost the upstream one call per distinct
 * resource (single-flight in the shared cache), not one per query.
 */
import type { Simulator } from '../../src/simulator';
import { startChild } from '../lib/child';
import { post } from '../lib/load';
import { expectedFrom, problemWith } from '../lib/queries';
import { STATS_ENDPOINT, callsTo, upstreamEnv } from '../lib/upstream';
import { int, ratio, s, table, type Section } from '../lib/report';
import { clientIds } from './seed-baselines';

export async function fanInScenario(sim: Simulator, options: { queries: number; concurrency: number }): Promise<Section> {
  const resources = clientIds(sim).length * 6;
  const child = await startChild({ script: 'gateway-server.ts', env: { ...upstreamEnv(sim), BENCH_PRIME: '0', UPSTREAM_CONCURRENCY: String(options.concurrency) } });
  try {
    sim.control.resetCounters();
    const t0 = performance.now();
    const answers = await Promise.all(Array.from({ length: options.queries }, () => post(child.url, 'kpi').catch((err: Error) => ({ status: 0, text: err.message, ms: 0 }))));
    const wall = performance.now() - t0;
    const expected = expectedFrom(sim.world);
    const wrong = answers.map((a) => (a.status !== 200 ? `HTTP ${a.status} ${a.text.slice(0, 80)}` : problemWith('kpi', a.text, expected))).filter(Boolean);
    const non2xx = answers.filter((a) => a.status < 200 || a.status > 299).length;
    const calls = callsTo(sim, STATS_ENDPOINT);
    const all = sim.control.counters().total;
    const markdown = table(
      ['Concurrent identical cold KPI queries', 'Wall time', 'Correct answers', 'Non-2xx', 'Upstream stats calls', 'Distinct resources', 'Calls ÷ resources'],
      [[int(options.queries), s(wall), int(answers.length - wrong.length), non2xx, `${calls} (all endpoints: ${all})`, resources, ratio(calls / resources)]],
    );
    return {
      id: 'B3',
      title: 'B3 fan-in (identical cold queries at once)',
      markdown,
      checks: [
        { name: 'every answer correct', pass: wrong.length === 0, detail: wrong.length ? `${wrong.length} wrong, first: ${wrong[0]}` : `${answers.length} × 200 with ${expected.clients} rows` },
        { name: 'upstream calls = distinct resources', pass: calls === resources && all === resources, detail: `${calls} ÷ ${resources} = ${ratio(calls / resources)}` },
      ],
    };
  } finally {
    await child.stop();
  }
}
