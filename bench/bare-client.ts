/**
 * B1's floor on this rig: a fresh process that does nothing but send the cold KPI load's stats
 * calls, all at once, on plain `node:http`, and read their bodies. No GraphQL, no cache, no
 * scheduler, no validation: what is left is what any client must spend to open the connections
 * and what the simulator spends to take them, so "how soon can the last call arrive" has a measured
 * answer next to the gateway's.
 *
 * `BENCH_CALLS=<JSON [{ url, key }, ...]> node bench/bare-client.ts` prints `{ "url": ..., "pid": ... }`
 * when listening; a POST to that URL sends the calls and is answered once every body has arrived.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const calls = JSON.parse(process.env.BENCH_CALLS ?? '[]') as { url: string; key: string }[];
if (calls.length === 0) throw new Error('BENCH_CALLS must list the calls to send');

function send({ url, key }: { url: string; key: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    void Promise.all(calls.map(send)).then(
      (statuses) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ calls: statuses.length, ok: statuses.filter((s) => s === 200).length })),
      (err: unknown) => res.writeHead(502).end(String(err)),
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pid: process.pid })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
