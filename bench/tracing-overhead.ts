/**
 * What tracing costs a warm request, measured in-process where a busy machine disturbs it least:
 *
 *   npx tsx bench/tracing-overhead.ts [--requests 400] [--rounds 7] [--modes off,on]
 *
 * One simulator (no latency) and one gateway per mode: `off` (no OTEL_*: tracing off) and `on`
 * (every request sampled, spans exported over OTLP/HTTP protobuf to a sink in a child process, the
 * export's CPU counted: each round ends with a flush). After a cold KPI query primes them, rounds
 * alternate the modes, each sending `--requests` warm KPI queries one after another through
 * `gateway.fetch`; CPU time (process.cpuUsage) and wall time per request, median over the rounds.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { createGateway, type Gateway } from '../src/server/gateway';
import { startSimulator } from '../src/simulator';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '400' }, rounds: { type: 'string', default: '7' }, modes: { type: 'string', default: 'off,on' } } });
const requests = Number(values.requests);
const rounds = Number(values.rounds);
const modes = values.modes!.split(',');

const TOKEN = 'bench-admin-token-0123456789abcdef';
const KPI = JSON.stringify({ query: 'query KpiDashboard { kpi { totals { clients leadsGenerated } clients { workspaceId leadsGenerated status } } }' });

// The OTLP receiver: another process, so its work is not counted here.
const sink = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => q.resume().on('end', () => s.end())).listen(0, '127.0.0.1', function () { console.log(this.address().port); })`], { stdio: ['ignore', 'pipe', 'inherit'] });
const sinkPort = await new Promise<string>((resolve) => createInterface({ input: sink.stdout! }).once('line', resolve));

const sim = await startSimulator({ seed: 'bench', rateLimit: false });
interface Subject { gateway: Gateway; flush(): Promise<void>; close(): Promise<void> }

async function subject(mode: string): Promise<Subject> {
  const env = { GATEWAY_ADMIN_TOKEN: TOKEN, UPSTREAM_RATE_PER_MINUTE: '100000', UPSTREAM_BURST: '1000', RATE_LIMIT_PER_MINUTE: '1000000', ...(mode === 'on' ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}` } : {}) };
  const config = loadConfig(env);
  const { silentLogger } = await import('../src/monitoring/logger');
  const tracing = config.tracing ? (await import('../src/monitoring/tracing-sdk')).startTracingSdk({ config: config.tracing, logger: silentLogger }) : undefined;
  const gateway = await createGateway({ config, upstream: { url: sim.url, superAdminKey: sim.superAdminKey, demoApiKeys: sim.apiKeys }, ...(tracing ? { tracing } : {}) });
  return { gateway, flush: async () => tracing?.flush(), close: async () => { await gateway.close(); await tracing?.shutdown(); } };
}

async function kpi(gateway: Gateway): Promise<void> {
  const res = await gateway.fetch('http://gateway.bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: KPI });
  const body = await res.json() as { errors?: unknown; data?: { kpi: { clients: unknown[] } } };
  if (res.status !== 200 || body.errors || body.data?.kpi.clients.length !== 26) throw new Error(`bad answer: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
}

const subjects = new Map<string, Subject>();
for (const mode of modes) {
  const s = await subject(mode);
  await kpi(s.gateway); // cold: fills the cache
  for (let i = 0; i < 50; i++) await kpi(s.gateway); // JIT warm-up
  subjects.set(mode, s);
}

const samples = new Map(modes.map((m) => [m, { cpuUs: [] as number[], wallUs: [] as number[] }]));
for (let r = 0; r < rounds; r++) {
  for (const mode of modes) {
    const s = subjects.get(mode)!;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < requests; i++) await kpi(s.gateway);
    await s.flush();
    const cpu = process.cpuUsage(cpu0);
    samples.get(mode)!.cpuUs.push((cpu.user + cpu.system) / requests);
    samples.get(mode)!.wallUs.push(((performance.now() - t0) * 1000) / requests);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
process.stdout.write(`warm KPI through gateway.fetch, ${rounds} rounds x ${requests} requests per mode, load average ${load}\n`);
process.stdout.write('| tracing | CPU µs/request (median) | min–max over rounds | wall µs/request (median) |\n|---|---|---|---|\n');
for (const [mode, { cpuUs, wallUs }] of samples) {
  process.stdout.write(`| ${mode} | ${median(cpuUs).toFixed(0)} | ${Math.min(...cpuUs).toFixed(0)}–${Math.max(...cpuUs).toFixed(0)} | ${median(wallUs).toFixed(0)} |\n`);
}
for (const s of subjects.values()) await s.close();
await sim.close();
sink.kill();
