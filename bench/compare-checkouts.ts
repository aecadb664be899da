/**
 * CPU per warm request of several checkouts side by side, in one run: each checkout's own
 * `bench/gateway-server.ts` (its own simulator without latency, primed) in a child process; rounds
 * alternate the checkouts, so a busy machine disturbs them alike. CPU time of each child from
 * /proc/<pid>/stat; the median over the rounds is written to bench/RESULTS.compare.md.
 *
 *   npx tsx bench/compare-checkouts.ts <checkout> <checkout>...   (N=400 ROUNDS=5 CONC=32 by default)
 *
 * e.g. an older commit beside this one: `git worktree add /tmp/before <commit> && (cd /tmp/before && npm ci)`,
 * then `npx tsx bench/compare-checkouts.ts /tmp/before .`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { execSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { DASHBOARDS, QUERIES } from './lib/queries';

const roots = process.argv.slice(2);
if (roots.length === 0) throw new Error('usage: npx tsx bench/compare-checkouts.ts <checkout>...');
const N = Number(process.env.N ?? 400);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const CONC = Number(process.env.CONC ?? 32);

/** User + system CPU of a process, in clock ticks (10 ms). */
function ticks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const children = await Promise.all(roots.map(async (root) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/gateway-server.ts'], {
    cwd: root,
    env: { ...process.env, SIMULATOR_LATENCY_MS: '0', RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const info = JSON.parse(line) as { gateway: string; adminToken: string };
  const commit = execSync('git log --oneline -1', { cwd: root }).toString().trim().slice(0, 80);
  return { root, commit, child, url: info.gateway.replace(/\/graphql$/, ''), token: info.adminToken, pid: child.pid! };
}));
type Child = (typeof children)[number];

async function send(c: Child, query: string): Promise<void> {
  const res = await fetch(`${c.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { errors?: unknown };
  if (res.status !== 200 || body.errors) throw new Error(`${c.root}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
}

const mixes: Record<string, string[]> = { KPI: [QUERIES.kpi], 'all four': DASHBOARDS.map((d) => QUERIES[d]) };
for (const c of children) for (let i = 0; i < 100; i++) for (const q of mixes['all four']) await send(c, q); // warm-up

const samples = new Map<Child, Record<string, number[]>>(children.map((c) => [c, {}]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [mix, queries] of Object.entries(mixes)) {
    for (const c of children) {
      const before = ticks(c.pid);
      let next = 0;
      await Promise.all(Array.from({ length: CONC }, async () => {
        while (next < N) await send(c, queries[next++ % queries.length]);
      }));
      (samples.get(c)![mix] ??= []).push(((ticks(c.pid) - before) * 10) / N);
    }
  }
}
for (const c of children) c.child.kill('SIGTERM');

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const rows = children.map((c) => `| ${c.commit} | ${Object.values(samples.get(c)!).map((a) => `${median(a).toFixed(2)} (${a.map((x) => x.toFixed(2)).join(', ')})`).join(' | ')} |`);
const report = [
  '# CPU per warm request, checkouts side by side',
  '',
  `Written by \`npx tsx bench/compare-checkouts.ts\` on ${new Date().toISOString()}; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' / ')}.`,
  `${N} requests a round over ${CONC} connections, ${ROUNDS} rounds alternating the checkouts; ms of CPU per request, median (rounds).`,
  '',
  `| Checkout | ${Object.keys(mixes).join(' | ')} |`,
  `| --- | ${Object.keys(mixes).map(() => '---').join(' | ')} |`,
  ...rows,
  '',
].join('\n');
writeFileSync(new URL('./RESULTS.compare.md', import.meta.url), report);
console.log(report);
