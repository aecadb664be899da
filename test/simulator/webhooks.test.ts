import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webhookSchema } from '../../src/sources/email-bison/schemas';
import type { Simulator } from '../../src/simulator';
import { activeClient, call, createTestSimulator } from './harness';

interface Received { url: string; headers: Record<string, string | string[] | undefined>; body: any }

let sim: Simulator;
let ws: number;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  ({ sim } = await createTestSimulator());
  ws = activeClient(sim);
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(text) });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const addr = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/webhooks/email-bison`;
});
afterEach(() => {
  received.length = 0;
  sim.control.reset();
  sim.control.subscribeWebhooks(null);
});
afterAll(async () => {
  await sim.close();
  await new Promise((r) => receiver.close(r));
});

describe('webhooks', () => {
  it('delivers Email Bison-shaped events with the secret in a header, and the ledger moves', async () => {
    sim.control.subscribeWebhooks({ url: receiverUrl, secret: 's3cret-s3cret-s3cret', secretHeader: 'X-Bison-Secret' });
    const today = sim.world.today();
    const before = sim.world.day(ws, today);
    await sim.control.sendWebhook('email_sent', { workspaceId: ws, count: 3 });
    await sim.control.sendWebhook('LEAD_INTERESTED', { workspaceId: ws });
    expect(received).toHaveLength(4);
    const event = webhookSchema.parse(received[3].body);
    expect(event.event).toMatchObject({ type: 'lead_interested', workspace_id: ws, name: 'Lead Interested' });
    expect(received[0].headers['x-bison-secret']).toBe('s3cret-s3cret-s3cret');
    const after = sim.world.day(ws, today);
    expect(after.sent).toBe(before.sent + 3);
    expect(after.interested).toBe(before.interested + 1);
    const served = await call(sim, `/api/workspaces/v1.1/stats?start_date=${today}&end_date=${today}`, sim.apiKeys.get(ws)!);
    expect(served.json.data.emails_sent).toBe(after.sent);
    expect(sim.control.counters().webhooks.delivered).toBe(4);
  });

  it('puts the secret in the query when configured, and flips mailboxes on account events', async () => {
    sim.control.subscribeWebhooks({ url: receiverUrl, secret: 'query-secret-123456', secretQuery: 'token' });
    const connectedBefore = sim.world.mailboxes(ws).filter((m) => m.status === 'Connected').length;
    const [delivery] = await sim.control.sendWebhook('email_account_disconnected', { workspaceId: ws });
    expect(delivery.status).toBe(200);
    expect(new URL(received[0].url, 'http://x').searchParams.get('token')).toBe('query-secret-123456');
    const flipped = (received[0].body.data.sender_email as { id: number }).id;
    expect(sim.world.mailboxes(ws).find((m) => m.id === flipped)!.status).toBe('Not connected');
    expect(sim.world.mailboxes(ws).filter((m) => m.status === 'Connected').length).toBe(connectedBefore - 1);
  });

  it('streams events until stopped, over the HTTP control API too', async () => {
    await call(sim, '/__control/webhooks', null, { method: 'POST', body: { url: receiverUrl } });
    await call(sim, '/__control/webhooks/stream', null, { method: 'POST', body: { perSecond: 50, types: ['email_sent'], workspaceIds: [ws] } });
    await expect.poll(() => received.length, { timeout: 3000 }).toBeGreaterThanOrEqual(5);
    await call(sim, '/__control/webhooks/stream', null, { method: 'DELETE' });
    await new Promise((r) => setTimeout(r, 100)); // let deliveries already in flight land
    const settled = received.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(received.length).toBe(settled);
    expect(received.every((r) => r.body.event.type === 'email_sent' && r.body.event.workspace_id === ws)).toBe(true);
  });

  it('keeps streaming through a reset (the demo wiring must not stop silently)', async () => {
    sim.control.subscribeWebhooks({ url: receiverUrl });
    sim.control.startWebhookStream({ perSecond: 50, types: ['email_sent'], workspaceIds: [ws] });
    await expect.poll(() => received.length, { timeout: 3000 }).toBeGreaterThanOrEqual(2);
    await call(sim, '/__control/reset', null, { method: 'POST' });
    const afterReset = received.length;
    await expect.poll(() => received.length, { timeout: 3000 }).toBeGreaterThan(afterReset + 2);
    sim.control.stopWebhookStream();
  });

  it('rejects unknown event types with a clear message', async () => {
    await expect(sim.control.sendWebhook('email_teleported')).rejects.toThrow(/unknown type "email_teleported"/);
  });
});
