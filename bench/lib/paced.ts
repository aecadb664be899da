/**
 * Open-loop load at an even rate: one request every 1000/rate ms, whether or not earlier ones have
 * answered, latency measured from the scheduled send time (no coordinated omission). autocannon's
 * own rate option sends each second's budget as a burst at the start of the second, which measures
 * queueing behind that burst rather than the latency a steady stream of users sees.
 */
import { Agent, request } from 'node:http';
import { ADMIN_TOKEN } from './child';
import { body, problemWith, type Dashboard, type Expected } from './queries';
import type { LoadResult } from './load';

export async function runPaced(options: { url: string; dashboard: Dashboard; expected: Expected; rate: number; durationSeconds: number }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(`${options.url}/graphql`);
  const payload = body(options.dashboard);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let mismatches = 0;
  let firstProblem: string | null = null;

  const one = (scheduled: number) =>
    new Promise<void>((resolve) => {
      const req = request(target, {
        agent, method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}`, 'content-length': Buffer.byteLength(payload) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          latencies.push(Math.max(0, performance.now() - scheduled)); // sent up to 1 ms early: not a negative latency
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) non2xx++;
          const problem = problemWith(options.dashboard, Buffer.concat(chunks).toString('utf8'), options.expected);
          if (problem) {
            mismatches++;
            firstProblem ??= problem;
          }
          resolve();
        });
      });
      req.on('error', (err) => {
        errors++;
        firstProblem ??= err.message;
        resolve();
      });
      req.end(payload);
    });

  const interval = 1000 / options.rate;
  const total = Math.round(options.rate * options.durationSeconds);
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(one(scheduled));
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    requests: latencies.length, seconds, rps: latencies.length / seconds,
    p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies[latencies.length - 1] ?? 0,
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    non2xx, errors, timeouts: 0, mismatches, firstProblem,
  };
}
