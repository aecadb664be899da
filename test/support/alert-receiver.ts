/**
 * A local Slack stand-in for ALERT_WEBHOOK_URL: records every message the gateway posts.
 *
 *   const receiver = await startAlertReceiver();
 *   ... { ALERT_WEBHOOK_URL: receiver.url } ...
 *   receiver.texts          // the messages' text, in order
 *   receiver.control.status = 500;   // refuse (and do not record) until set back to 200
 *   receiver.clear();       // forget what came so far
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AlertReceiver {
  url: string;
  /** Every message taken, as posted. */
  received: Array<{ text: string; blocks?: unknown[] }>;
  /** The text of every message taken. */
  readonly texts: string[];
  /** What it answers: a status other than 200 refuses the message. */
  control: { status: number };
  /** Forgets what was received so far. */
  clear(): void;
  close(): Promise<void>;
}

/** `path` looks like a Slack incoming-webhook URL's (it holds a secret the gateway must never log). */
export async function startAlertReceiver(path = '/services/T000/B000/secret-hook-token'): Promise<AlertReceiver> {
  const received: AlertReceiver['received'] = [];
  const control = { status: 200 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (control.status === 200) received.push(JSON.parse(body));
      res.writeHead(control.status).end(control.status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received,
    get texts() { return received.map((m) => m.text); },
    control,
    clear: () => void received.splice(0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
