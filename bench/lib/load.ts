/**
 * Load with autocannon: a warm-up run that is thrown away, then the measured run. Every response
 * body is checked (`verifyBody`); non-2xx, errors, timeouts and wrong bodies are counted and shown.
 */
import autocannon from 'autocannon';
import { ADMIN_TOKEN } from './child';
import { body, dashboardOf, problemWith, type Dashboard, type Expected } from './queries';

export interface LoadOptions {
  url: string;
  dashboards: Dashboard[];
  expected: Expected;
  connections: number;
  durationSeconds: number;
  warmupSeconds?: number;
  /** Check bodies (JSON parse and row counts). @default true */
  verify?: boolean;
  /** Called between the warm-up and the measured run (e.g. to read CPU counters). */
  onMeasureStart?: () => void;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  firstProblem: string | null;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let firstProblem: string | null = null;
  const verifyBody = (text: string) => {
    const dashboard = options.dashboards.length === 1 ? options.dashboards[0] : dashboardOf(text);
    const problem = dashboard ? problemWith(dashboard, text, options.expected) : `unexpected answer: ${text.slice(0, 160)}`;
    if (problem && !firstProblem) firstProblem = problem;
    return problem === null;
  };
  const base = {
    url: `${options.url}/graphql`,
    connections: options.connections,
    timeout: 30,
    requests: options.dashboards.map((d) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: body(d),
    })),
    ...(options.verify === false ? {} : { verifyBody }),
  };
  if (options.warmupSeconds) await autocannon({ ...base, duration: options.warmupSeconds });
  firstProblem = null;
  options.onMeasureStart?.();
  const r = await autocannon({ ...base, duration: options.durationSeconds });
  const completed = r.requests.total;
  return {
    requests: completed,
    seconds: r.duration,
    rps: completed / r.duration,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    mean: r.latency.mean,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    mismatches: r.mismatches,
    firstProblem,
  };
}

/** True when every response of the run was a correct 200. */
export const allCorrect = (r: LoadResult) => r.non2xx === 0 && r.errors === 0 && r.timeouts === 0 && r.mismatches === 0;

export function describeCorrectness(r: LoadResult): string {
  if (allCorrect(r)) return `all ${r.requests} responses correct (200, no errors, expected rows)`;
  return `${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts, ${r.mismatches} wrong bodies` + (r.firstProblem ? ` (first: ${r.firstProblem})` : '');
}

/** One GraphQL POST with fetch; returns status, text and wall time in ms. */
export async function post(url: string, dashboard: Dashboard): Promise<{ status: number; text: string; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: body(dashboard),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0 };
}
