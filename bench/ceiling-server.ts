/**
 * The ceiling for B2: a bare graphql-yoga server with the gateway's own schema (same SDL, so the
 * same parse, validation, execution and serialization of the same query) whose dashboards are
 * answered from memory with the JSON the gateway gave. No auth, cache, freshness or logging: what
 * is left is what any Yoga server must spend on this response.
 *
 * `BENCH_CEILING_DATA=<file with { kpi, volume, revenue, infrastructure }> node --import tsx bench/ceiling-server.ts`
 * prints `{ "url": ..., "pid": ... }` when listening.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { printSchema } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { schema as gatewaySchema } from '../src/schema';

const file = process.env.BENCH_CEILING_DATA;
if (!file) throw new Error('BENCH_CEILING_DATA must name a JSON file with the dashboards to serve');
const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

const yoga = createYoga({
  schema: createSchema({
    typeDefs: printSchema(gatewaySchema),
    resolvers: {
      Query: {
        kpi: () => data.kpi,
        volume: () => data.volume,
        revenue: () => data.revenue,
        infrastructure: () => data.infrastructure,
      },
    },
  }),
  landingPage: false,
  logging: false,
  graphiql: false,
});

const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, pid: process.pid })}\n`);
});
function stop(): void {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
