/**
 * Infrastructure dashboard over 11,000 mailboxes: cold load, then warm latency (p50/p99) and the
 * process's memory. Not a test: it prints figures.
 *
 *   npx tsx bench/infrastructure.ts [--mailboxes 11000] [--warm 300] [--cache memory|redis] [--database postgres|pglite]
 *
 * Simulator and gateway run in-process (test/support/gateway.ts) on a ManualClock that never
 * moves, so every warm query is served from the cache: what is measured is the gateway's own
 * work (GraphQL, cache reads, classification/aggregation or its memo, filtering, pagination).
 *
 * Measured on the shared 2-core machine (load average ~13), Postgres, memory cache, 10,931 client
 * mailboxes, 300-500 warm queries mixing pages and filters:
 *   before the memo (every request re-classified and re-grouped): p50 146 ms, p99 567 ms, peak RSS 613 MB
 *   with the memo (src/resolvers/mailbox-memo.ts):                   p50 4-12 ms, p99 43-50 ms, RSS 350-365 MB
 * A bare `{ workspaces { workspaceId } }` costs ~5 ms p50 on the same machine, so a warm
 * infrastructure query is the gateway's fixed per-request cost plus 1-2 ms. With `--database pglite`
 * RSS was ~650 MB: PGlite's WASM Postgres took ~300 MB, 120 MB of it its 128 MB buffer cache (a
 * second copy of pages already in memory); at shared_buffers=16MB (src/sources/db/pglite.ts) RSS is
 * ~100 MB lower. Since each filter's list is kept with its aggregate (src/resolvers/mailbox-memo.ts)
 * and the overrides are held by the directory, a warm query does no filtering and no database read:
 * --database pglite, load ~7: p50 3.7 ms before, 2.4 ms after (600 warm queries).
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createTestGateway } from '../test/support/gateway';

const { values: args } = parseArgs({
  options: {
    mailboxes: { type: 'string', default: '11000' },
    warm: { type: 'string', default: '300' },
    cache: { type: 'string', default: 'memory' },
    database: { type: 'string', default: 'postgres' },
  },
});

const QUERY = `query Infra($after: String, $filter: MailboxFilter) {
  infrastructure {
    totals { mailboxes connected disconnected emailsSent replyRate dailyCapacity monthlyCost }
    byProvider { key mailboxes connected replyRate dailyCapacity monthlyCost }
    byReseller { key mailboxes monthlyCost }
    byWorkspace { key workspaceId mailboxes monthlyCost }
    mailboxes(first: 50, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id email provider reseller price dailyCapacity replyRate } }
    }
    freshness { state } errors { code }
  }
}`;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const mailboxes = Number(args.mailboxes);
  const warm = Number(args.warm);
  const t = await createTestGateway({
    sim: { mailboxes },
    cache: args.cache === 'redis' ? 'redis' : 'memory',
    database: args.database === 'pglite' ? 'pglite' : 'postgres',
    // One token asks many times a second here; the per-token request limit is not what is measured.
    env: { RATE_LIMIT_PER_MINUTE: '1000000' },
  });
  console.log(`rss after start ${mb(process.memoryUsage().rss)} (${args.database}, ${args.cache} cache)`);
  try {
    let started = performance.now();
    const cold = await t.query(QUERY);
    const coldMs = performance.now() - started;
    if (cold.body.errors) throw new Error(`cold query failed: ${JSON.stringify(cold.body.errors)}`);
    const totals = cold.body.data.infrastructure.totals;
    console.log(`mailboxes ${totals.mailboxes} (simulator: ${mailboxes}), upstream calls ${t.upstreamCalls()}, cold ${coldMs.toFixed(0)} ms`);

    // Vary the request a little (pages, filters) the way a dashboard user does.
    const variants = [
      {},
      { after: cold.body.data.infrastructure.mailboxes.pageInfo.endCursor },
      { filter: { status: 'CONNECTED', providers: ['OUTLOOK'] } },
      { filter: { minSent: 50, maxReplyRate: 0 } },
    ];
    for (let i = 0; i < 20; i++) await t.query(QUERY, variants[i % variants.length]);
    const times: number[] = [];
    let peakRss = process.memoryUsage().rss;
    started = performance.now();
    for (let i = 0; i < warm; i++) {
      const s = performance.now();
      const res = await t.query(QUERY, variants[i % variants.length]);
      times.push(performance.now() - s);
      if (res.body.errors) throw new Error(`warm query failed: ${JSON.stringify(res.body.errors)}`);
      if (i % 25 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const wallMs = performance.now() - started;
    times.sort((a, b) => a - b);
    const mem = process.memoryUsage();
    peakRss = Math.max(peakRss, mem.rss);
    console.log(`warm x${warm}: p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms, ` +
      `${(warm / (wallMs / 1000)).toFixed(0)} queries/s`);
    console.log(`memory: rss ${mb(mem.rss)} (peak sampled ${mb(peakRss)}), heap used ${mb(mem.heapUsed)} (simulator and gateway in one process)`);
    console.log(`upstream calls after warm queries: ${t.upstreamCalls()} (unchanged = all served from cache)`);
  } finally {
    await t.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
