/**
 * CPU cost of the simulator per request: `npx tsx bench/simulator-cpu.ts`.
 * Serves pages of 15 mailboxes and 30-day stats windows over keep-alive HTTP and reports the
 * simulator process's CPU time (user + system, which includes the client's share) per request.
 */
import { Agent, request } from 'node:http';
import { startSimulator } from '../src/simulator';

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

function get(url: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { Authorization: `Bearer ${key}` } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function measure(label: string, n: number, urlFor: (i: number) => string, key: (i: number) => string): Promise<void> {
  for (let i = 0; i < 200; i++) await get(urlFor(i), key(i)); // warm up
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i += 8) await Promise.all(Array.from({ length: 8 }, (_, j) => get(urlFor(i + j), key(i + j))));
  const cpu = process.cpuUsage(cpu0);
  const ms = (cpu.user + cpu.system) / 1000;
  console.log(`${label}: ${n} requests, ${(ms / n).toFixed(3)} ms CPU/request (client included), ${((performance.now() - t0) / n).toFixed(3)} ms wall/request`);
}

const sim = await startSimulator({ mailboxes: 11_000, rateLimit: false });
const ids = sim.world.workspaces.map((w) => w.id);
const keyOf = (i: number) => sim.apiKeys.get(ids[i % ids.length])!;
await measure('sender-emails page of 15', 4000, (i) => `${sim.url}/api/sender-emails?page=${(i % 20) + 1}`, keyOf);
await measure('stats 30-day window', 4000, () => `${sim.url}/api/workspaces/v1.1/stats?start_date=${day(-29)}&end_date=${day(0)}`, keyOf);
await measure('stats 14-month window', 2000, () => `${sim.url}/api/workspaces/v1.1/stats?start_date=${day(-425)}&end_date=${day(0)}`, keyOf);
await sim.close();
agent.destroy();

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}
