/**
 * B5 scale: an instance with 11,000 mailboxes. The infrastructure dashboard (every mailbox
 * classified, priced and aggregated, one page of 50 returned) warm, and the gateway's memory.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchSimulator } from '../lib/upstream';
import { allCorrect, describeCorrectness, runLoad } from '../lib/load';
import { expectedFrom } from '../lib/queries';
import { int, table, type Section } from '../lib/report';
import { startPrimedGateway } from './b2-warm';
import type { ServerChild } from '../lib/child';

/** The gateway's own memory figures, MB (bench/gateway-server.ts writes them on SIGUSR2). */
async function heapOf(child: ServerChild): Promise<{ heapUsed: number; heapTotal: number; external: number }> {
  const file = join(tmpdir(), `bench-memory-${child.pid}.json`);
  process.kill(child.pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
      rmSync(file, { force: true });
      return { heapUsed: m.heapUsed / 2 ** 20, heapTotal: m.heapTotal / 2 ** 20, external: m.external / 2 ** 20 };
    } catch {
      // not written yet
    }
  }
  throw new Error('B5: the gateway did not report its memory');
}

export async function scaleScenario(options: { mailboxes: number; connections: number; durationSeconds: number; concurrency: number }): Promise<Section> {
  const sim = await startBenchSimulator({ mailboxes: options.mailboxes });
  try {
    const expected = expectedFrom(sim.world);
    const t0 = Date.now();
    const child = await startPrimedGateway(sim, { UPSTREAM_CONCURRENCY: String(options.concurrency) });
    const primedSeconds = (Date.now() - t0) / 1000;
    const pages = sim.control.counters().byEndpoint['GET /api/sender-emails'] ?? 0;
    try {
      const rssPrimed = child.rssMb();
      const dbRssPrimed = child.childrenRssMb();
      const sequential = await runLoad({ url: child.url, dashboards: ['infrastructure'], expected, connections: 1, durationSeconds: Math.min(10, options.durationSeconds), warmupSeconds: 2 });
      const loaded = await runLoad({ url: child.url, dashboards: ['infrastructure'], expected, connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: 2 });
      const rssAfter = child.rssMb();
      const dbRssAfter = child.childrenRssMb();
      const heap = await heapOf(child);
      const markdown = [
        `${int(options.mailboxes)} mailboxes in the instance, ${int(expected.mailboxes)} of them in the ${expected.clients} client workspaces the dashboard shows; primed in ${primedSeconds.toFixed(1)} s (${pages} sender-email pages at ${options.concurrency} concurrent calls, 1.2–1.5 s each).`,
        '',
        table(['Infrastructure query, warm', 'Requests/s', 'p50 ms', 'p99 ms', 'max ms', 'Correctness'], [
          ['1 client at a time', int(sequential.rps), sequential.p50.toFixed(1), sequential.p99.toFixed(1), sequential.max.toFixed(0), describeCorrectness(sequential)],
          [`${options.connections} concurrent clients`, int(loaded.rps), loaded.p50.toFixed(1), loaded.p99.toFixed(1), loaded.max.toFixed(0), describeCorrectness(loaded)],
        ]),
        '',
        table(['Resident memory (RSS), embedded mode', 'After priming', 'After the load'], [
          ['Gateway process (in-memory cache included)', `${rssPrimed.toFixed(0)} MB`, `${rssAfter.toFixed(0)} MB`],
          ['Embedded database process (PGlite, `src/sources/db/pglite-child.ts`)', `${dbRssPrimed.toFixed(0)} MB`, `${dbRssAfter.toFixed(0)} MB`],
          ['Both', `${(rssPrimed + dbRssPrimed).toFixed(0)} MB`, `${(rssAfter + dbRssAfter).toFixed(0)} MB`],
        ]),
        '',
        `The gateway's V8 heap after the load: ${heap.heapUsed.toFixed(0)} MB used of ${heap.heapTotal.toFixed(0)} MB; external ${heap.external.toFixed(0)} MB.`,
      ].join('\n');
      return {
        id: 'B5',
        title: `B5 scale (${int(options.mailboxes)} mailboxes)`,
        markdown,
        checks: [
          { name: 'gateway process RSS < 400 MB embedded', pass: Math.max(rssPrimed, rssAfter) < 400, detail: `${rssPrimed.toFixed(0)} MB primed, ${rssAfter.toFixed(0)} MB after the load (the database's process: ${dbRssAfter.toFixed(0)} MB)` },
          { name: 'warm infrastructure p50 < 3 ms, one client', pass: sequential.p50 < 3, detail: `${sequential.p50.toFixed(1)} ms` },
          { name: 'every response correct', pass: allCorrect(sequential) && allCorrect(loaded), detail: `${describeCorrectness(sequential)}; ${describeCorrectness(loaded)}` },
        ],
      };
    } finally {
      await child.stop();
    }
  } finally {
    await sim.close();
  }
}
