/**
 * Where a warm request's CPU goes: reads a `node --cpu-prof` profile, keeps the samples taken in
 * the measured window (profile timestamps are the same monotonic clock as `process.hrtime`), and
 * attributes each sample's self time to a category by the file of the function it was in.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

/** First match wins: [category, test on url, optional test on function name]. */
const RULES: [string, RegExp, RegExp?][] = [
  ['idle', /^$/, /^\(idle\)$/],
  ['garbage collection', /^$/, /^\(garbage collector\)$/],
  ['GraphQL parse', /node_modules\/graphql\/language\//],
  ['GraphQL validation', /node_modules\/graphql\/(validation|utilities)\//],
  ['GraphQL execution', /node_modules\/graphql\//],
  ['serialization (JSON.stringify, result processing)', /^$/, /^(stringify|JSONStringify|SerializeJSON)/],
  ['serialization (JSON.stringify, result processing)', /graphql-yoga\/.*(result|process)/],
  ['cache reads (source cache, loaders, Keyv)', /src\/sources\/(cache\/|loaders|plan)|node_modules\/(keyv|@keyv|dataloader)\//],
  ['logging (pino, request log)', /node_modules\/pino|src\/monitoring\/logger/],
  ['logging (pino, request log)', /src\/server\/plugins/, /^(onRequest|onResponse)$/],
  ['freshness (per row and extension)', /src\/sources\/freshness|src\/server\/plugins/],
  ['dashboard arithmetic (src/resolvers)', /src\/resolvers\//],
  ['schema field resolvers (src/schema, Pothos)', /src\/schema\/|node_modules\/@pothos\//],
  ['auth and gateway plumbing (src/server)', /src\/server\//],
  ['monitoring and metrics', /src\/monitoring\/|node_modules\/prom-client\//],
  ['Yoga and envelop pipeline', /node_modules\/(graphql-yoga|@graphql-yoga|@envelop|@graphql-tools|@escape\.tech)\//],
  ['HTTP (node:http, whatwg-node adapter)', /^node:|node_modules\/(@whatwg-node|urlpattern-polyfill)\//],
  ['V8 and native (program, builtins)', /^$/],
];

const categoryOf = (url: string, fn: string) =>
  RULES.find(([, urlTest, fnTest]) => urlTest.test(url) && (!fnTest || fnTest.test(fn)))?.[0] ?? 'other JavaScript';

export interface ProfileSummary {
  /** Busy CPU (all but idle) in the window, ms. */
  busyMs: number;
  categories: { name: string; ms: number; share: number }[];
  topFunctions: { name: string; ms: number }[];
}

/** `fromUs`/`toUs`: the measured window in `process.hrtime` microseconds. */
export function summariseProfile(path: string, fromUs: number, toUs: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (t < fromUs || t > toUs) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0; // a sample stands for the time until the next one
    const { functionName, url, lineNumber } = nodes.get(profile.samples[i])!.callFrame;
    const category = categoryOf(url, functionName);
    byCategory.set(category, (byCategory.get(category) ?? 0) + dt);
    if (category !== 'idle') {
      const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/')}:${lineNumber + 1}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + dt);
    }
  }
  const busyUs = [...byCategory].filter(([k]) => k !== 'idle').reduce((n, [, v]) => n + v, 0);
  return {
    busyMs: busyUs / 1000,
    categories: [...byCategory]
      .filter(([k]) => k !== 'idle')
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / busyUs }))
      .sort((a, b) => b.ms - a.ms),
    topFunctions: [...byFunction].map(([name, us]) => ({ name, ms: us / 1000 })).sort((a, b) => b.ms - a.ms).slice(0, 12),
  };
}

export const nowUs = () => Number(process.hrtime.bigint() / 1000n);
