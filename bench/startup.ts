/**
 * Start-up time and memory of the demo-mode start, through tsx and compiled:
 *
 *   npm run build && npx tsx bench/startup.ts [--runs 5] [--modes tsx,dist,dist-traced,before] [--before <checkout>]
 *
 * Each run spawns the start command, times it to the "GraphiQL:" banner line, then reads the RSS
 * of the whole process tree (tsx runs the app in a child process) from /proc, once at the banner
 * and once after 3 s (PGlite and the priming settle). Modes alternate run by run, so a busy
 * machine slows each alike; the medians are printed. Mode `before` is `tsx src/main.ts` in
 * another checkout (`--before`, e.g. a clone of main with its node_modules), for before/after figures.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { treeRssKb } from './lib/child';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, modes: { type: 'string', default: 'tsx,dist' }, before: { type: 'string' } } });
const runs = Number(values.runs);

/** The OTLP receiver a traced start exports to: accepts and drops. */
const sink = createServer((req, res) => req.resume().on('end', () => res.end()));
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

const MODES: Record<string, { cmd: string; args: string[]; env?: Record<string, string>; cwd?: string }> = {
  before: { cmd: 'node_modules/.bin/tsx', args: ['src/main.ts'], cwd: values.before },
  tsx: { cmd: 'node_modules/.bin/tsx', args: ['src/main.ts'] },
  dist: { cmd: process.execPath, args: ['dist/main.js'] },
  'dist-traced': { cmd: process.execPath, args: ['dist/main.js'], env: { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl } },
};
const modes = values.modes!.split(',');


async function once(mode: string): Promise<{ ms: number; rssMb: number; settledMb: number }> {
  const { cmd, args, env, cwd = process.cwd() } = MODES[mode];
  const base = Object.fromEntries(['PATH', 'HOME'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
  const started = performance.now();
  const child = spawn(cmd, args, { cwd, env: { ...base, PORT: '0', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const ms = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} exited with ${code}`)));
    lines.on('line', (line) => line.startsWith('GraphiQL:') && resolve(performance.now() - started));
  });
  const rssMb = treeRssKb(child.pid!) / 1024;
  await new Promise((r) => setTimeout(r, 3000));
  const settledMb = treeRssKb(child.pid!) / 1024;
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return { ms, rssMb, settledMb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = new Map(modes.map((m) => [m, [] as Awaited<ReturnType<typeof once>>[]]));
for (let i = 0; i < runs; i++) for (const mode of modes) results.get(mode)!.push(await once(mode));
sink.close();

const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
process.stdout.write(`start-up of the demo mode, ${runs} runs each, load average ${load}\n`);
process.stdout.write('| start | to "GraphiQL:" (median) | RSS at the banner | RSS 3 s later |\n|---|---|---|---|\n');
for (const [mode, rs] of results) {
  const { cmd, args } = MODES[mode];
  const where = MODES[mode].cwd ? ` in ${MODES[mode].cwd}` : '';
  process.stdout.write(`| \`${[cmd.replace(process.execPath, 'node'), ...args].join(' ')}\`${where}${MODES[mode].env ? ' + OTEL_EXPORTER_OTLP_ENDPOINT' : ''} | ${Math.round(median(rs.map((r) => r.ms)))} ms | ${median(rs.map((r) => r.rssMb)).toFixed(0)} MB | ${median(rs.map((r) => r.settledMb)).toFixed(0)} MB |\n`);
}
