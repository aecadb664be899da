/**
 * Idle keep-alive connections (HTTP_KEEP_ALIVE_TIMEOUT_SECONDS, src/server/http.ts): open for 65 s
 * by default, longer than the 60 s idle timeout common to balancers, so the side in front closes
 * first and never sends a request down a connection the gateway is closing (Node's own default of
 * 5 s gave the bench's paced client "socket hang up" errors). The timeout is announced in every
 * response, and the server closes an idle connection when it runs out, not before.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway';

/** Sends `GET /health` on a raw socket and resolves with the response head once it has arrived. */
function getHealth(socket: Socket, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(received)?.[1] ?? 0);
      if (received.length < end + 4 + length) return;
      socket.off('data', onData);
      resolve(received.slice(0, end));
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(`GET /health HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`);
  });
}

describe('keep-alive connections', () => {
  let t: TestGateway | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function open(env: Record<string, string> = {}) {
    t = await createTestGateway({ http: true, env, sim: { workspaces: 2, mailboxes: 10 } });
    const url = new URL(t.url!);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return { socket, head: await getHealth(socket, url.host) };
  }

  it('announces 65 s by default, above a balancer\'s usual 60 s', async () => {
    const { socket, head } = await open();
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head).toMatch(/\r\nkeep-alive: timeout=65(\r\n|$)/i);
    socket.destroy();
  });

  it('closes an idle connection when the configured timeout runs out, and serves it until then', async () => {
    const { socket, head } = await open({ HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '1' });
    expect(head).toMatch(/\r\nkeep-alive: timeout=1(\r\n|$)/i);
    const idleSince = performance.now();
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - idleSince)));
    // Still open and serving half-way through: a second request on it is answered.
    await new Promise((r) => setTimeout(r, 400));
    expect(await getHealth(socket, new URL(t!.url!).host)).toMatch(/^HTTP\/1\.1 200/);
    const idleAgain = performance.now();
    const after = (await closed) - (idleAgain - idleSince);
    expect(after).toBeGreaterThanOrEqual(900); // not before the timeout (timers may fire a little early)
    expect(after).toBeLessThan(15_000); // and it does close (generous: a loaded machine runs timers late)
  });
});
