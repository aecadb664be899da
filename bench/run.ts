/**
 * `npm run bench` runs every scenario against the simulator and writes bench/RESULTS.md.
 *
 *   npm run bench                     # B1-B5 at full length (about 6 minutes), writes bench/RESULTS.md
 *   npm run bench -- --only B2,B4     # some scenarios; writes bench/RESULTS.partial.md
 *   npm run bench -- --quick          # short runs to check the harness; writes bench/RESULTS.quick.md
 *
 * The gateway under test runs in a child process pinned to its own core; this process (load
 * generator and simulator) is pinned to another. Run it on an otherwise idle machine: the report
 * records the load average at the start.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { BENCH_DIR, pinSelf } from './lib/child';
import { loadAverage, machineFacts } from './lib/machine';
import { checksTable, type Section } from './lib/report';
import { startBenchSimulator } from './lib/upstream';
import { coldScenario } from './scenarios/b1-cold';
import { warmScenario } from './scenarios/b2-warm';
import { fanInScenario } from './scenarios/b3-fan-in';
import { expiryScenario } from './scenarios/b4-expiry';
import { scaleScenario } from './scenarios/b5-scale';

const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } } });
const only = new Set((values.only ?? 'B1,B2,B3,B4,B5').toUpperCase().split(',').map((x) => x.trim()));
const quick = values.quick!;
/** Cold load is upstream-latency-bound; see the B1 section of the report for the reasoning. */
const CONCURRENCY = Number(process.env.UPSTREAM_CONCURRENCY ?? 64);

const pinning = pinSelf();
if (loadAverage() > 1.5) process.stderr.write(`warning: 1-minute load average is ${loadAverage().toFixed(2)}; figures will be noisy\n`);
const facts = machineFacts(pinning);
const sections: Section[] = [];
const sim = await startBenchSimulator();

async function step(id: string, run: () => Promise<Section>): Promise<void> {
  if (!only.has(id)) return;
  const t0 = Date.now();
  process.stderr.write(`${id}: running...\n`);
  try {
    const section = await run();
    sections.push(section);
    for (const c of section.checks) process.stderr.write(`  ${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}\n`);
  } catch (err) {
    const message = err instanceof Error ? err.stack ?? err.message : String(err);
    sections.push({ id, title: `${id} failed to run`, markdown: '```\n' + message + '\n```', checks: [{ name: 'scenario ran', pass: false, detail: message.split('\n')[0] }] });
    process.stderr.write(`  FAIL ${message}\n`);
  }
  process.stderr.write(`${id}: ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

try {
  await step('B1', () => coldScenario(sim, { concurrency: CONCURRENCY, runs: quick ? 1 : 3, sequentialBaseline: !quick }));
  await step('B2', () => warmScenario(sim, { connections: 64, durationSeconds: quick ? 3 : 20, warmupSeconds: quick ? 1 : 5, concurrency: CONCURRENCY, profile: true }));
  await step('B3', () => fanInScenario(sim, { queries: 1000, concurrency: CONCURRENCY }));
  await step('B4', () => expiryScenario(sim, { ttlSeconds: 5, periods: 3, rate: 100, concurrency: CONCURRENCY }));
  await step('B5', () => scaleScenario({ mailboxes: 11_000, connections: 8, durationSeconds: quick ? 3 : 20, concurrency: CONCURRENCY }));
} finally {
  await sim.close();
}

const allChecks = sections.flatMap((s) => s.checks.map((c) => ({ ...c, name: `${s.id}: ${c.name}` })));
const report = [
  `# Benchmark results${quick ? ' (quick validation run: short durations, not for comparison)' : ''}`,
  '',
  `Written by \`npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`. How to run and what each scenario means: bench/README.md.`,
  '',
  ...facts,
  `- Load average at the end (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' / ')} (others' work during the run shows here)`,
  '',
  '## Summary',
  '',
  checksTable(allChecks),
  ...sections.flatMap((s) => ['', `## ${s.title}`, '', s.markdown]),
  '',
].join('\n');
const partial = ['B1', 'B2', 'B3', 'B4', 'B5'].some((id) => !only.has(id));
const out = `${BENCH_DIR}${quick ? 'RESULTS.quick.md' : partial ? 'RESULTS.partial.md' : 'RESULTS.md'}`;
writeFileSync(out, report);
process.stderr.write(`wrote ${out}: ${allChecks.filter((c) => c.pass).length}/${allChecks.length} checks pass\n`);
process.exit(allChecks.every((c) => c.pass) ? 0 : 1);
