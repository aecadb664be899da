/**
 * B5 scale: an instance with 11,000 mailboxes. The infrastructure dashboard (every mailbox
 * classified, priced and aggregated, one page of 50 returned) warm, and the gateway's memory.
 */
import { startBenchSimulator } from '../lib/upstream';
import { allCorrect, describeCorrectness, runLoad } from '../lib/load';
import { expectedFrom } from '../lib/queries';
import { int, table, type Section } from '../lib/report';
import { startPrimedGateway } from './b2-warm';

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
      const sequential = await runLoad({ url: child.url, dashboards: ['infrastructure'], expected, connections: 1, durationSeconds: Math.min(10, options.durationSeconds), warmupSeconds: 2 });
      const loaded = await runLoad({ url: child.url, dashboards: ['infrastructure'], expected, connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: 2 });
      const rssAfter = child.rssMb();
      const markdown = [
        `${int(options.mailboxes)} mailboxes in the instance, ${int(expected.mailboxes)} of them in the ${expected.clients} client workspaces the dashboard shows; primed in ${primedSeconds.toFixed(1)} s (${pages} sender-email pages at ${options.concurrency} concurrent calls, 1.2–1.5 s each).`,
        '',
        table(['Infrastructure query, warm', 'Requests/s', 'p50 ms', 'p99 ms', 'max ms', 'Correctness'], [
          ['1 client at a time', int(sequential.rps), sequential.p50.toFixed(1), sequential.p99.toFixed(1), sequential.max.toFixed(0), describeCorrectness(sequential)],
          [`${options.connections} concurrent clients`, int(loaded.rps), loaded.p50.toFixed(1), loaded.p99.toFixed(1), loaded.max.toFixed(0), describeCorrectness(loaded)],
        ]),
        '',
        `Gateway process RSS: ${rssPrimed.toFixed(0)} MB after priming, ${rssAfter.toFixed(0)} MB after the load (PGlite in memory and the in-memory cache included).`,
      ].join('\n');
      return {
        id: 'B5',
        title: `B5 scale (${int(options.mailboxes)} mailboxes)`,
        markdown,
        checks: [
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
