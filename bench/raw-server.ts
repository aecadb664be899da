/**
 * The machine's limit for B2: raw `node:http` writing the very bytes the gateway answered, from
 * memory. No GraphQL, no auth, no parsing beyond finding which dashboard the body names: what is
 * left is what any Node server on this core must spend to take a request and send the response.
 *
 * `BENCH_RAW_DATA=<file with { kpi: "<response body>", volume: ..., revenue: ..., infrastructure: ... }> node --import tsx bench/raw-server.ts`
 * prints `{ "url": ..., "pid": ... }` when listening.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const file = process.env.BENCH_RAW_DATA;
if (!file) throw new Error('BENCH_RAW_DATA must name a JSON file with the response body of each dashboard');
const bodies = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>).map(([d, text]) => [d, Buffer.from(text)]));
/** `query Kpi {` → kpi (bench/lib/queries.ts names each operation after its dashboard). */
const dashboardOf = (body: string) => /query\s+(\w+)/.exec(body)?.[1].toLowerCase() ?? '';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const answer = bodies.get(dashboardOf(Buffer.concat(chunks).toString()));
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length });
    res.end(answer);
  });
});
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
