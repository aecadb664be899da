/**
 * Real subscription clients against a gateway listening on a real port: graphql-ws over a real
 * WebSocket (the `ws` package), and GraphQL over SSE read from a real HTTP response stream.
 * Both give the same handle: the values so far, `waitFor(predicate)`, and `close()`.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { listen, type Listening } from '../../src/server/http';
import { attachWebSockets, type AttachedWebSockets } from '../../src/server/ws';
import type { TestGateway } from '../support/gateway';
import { ADMIN_TOKEN } from '../support/gateway';

export interface Served {
  url: string;
  wsUrl: string;
  listening: Listening;
  ws: AttachedWebSockets;
  close(): Promise<void>;
}

/** The test gateway on port 0 with graphql-ws attached, exactly as src/main.ts serves it. */
export async function serve(t: TestGateway, options: { keepAliveMs?: number } = {}): Promise<Served> {
  const listening = await listen(t.gateway.handle, 0, '127.0.0.1');
  const ws = attachWebSockets(listening, t.gateway.webSockets, options);
  return { url: listening.url, wsUrl: `${listening.url.replace('http', 'ws')}/graphql`, listening, ws, close: () => listening.close() };
}

export interface Subscription<T = any> {
  values: T[];
  errors: unknown[];
  /** Resolves with the first value (so far or to come) that matches; rejects after `timeoutMs`. */
  waitFor(match: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

function subscriptionHandle<T>(): Subscription<T> & { push(value: T): void; fail(err: unknown): void; onClose(fn: () => Promise<void> | void): void } {
  const waiters = new Set<{ match: (v: T) => boolean; resolve: (v: T) => void }>();
  let closer: () => Promise<void> | void = () => {};
  const handle = {
    values: [] as T[],
    errors: [] as unknown[],
    push(value: T) {
      handle.values.push(value);
      for (const w of waiters) if (w.match(value)) { waiters.delete(w); w.resolve(value); }
    },
    fail(err: unknown) {
      handle.errors.push(err);
    },
    onClose(fn: () => Promise<void> | void) {
      closer = fn;
    },
    waitFor(match: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
      const seen = handle.values.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<T>((resolve, reject) => {
        const waiter = { match, resolve: (v: T) => { clearTimeout(timer); resolve(v); } };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching value within ${timeoutMs} ms; got ${JSON.stringify(handle.values).slice(0, 800)} errors ${JSON.stringify(handle.errors)}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: async () => closer(),
  };
  return handle;
}

/** A graphql-ws client; the token goes in connectionParams unless `connectionParams` says otherwise. */
export function wsClient(wsUrl: string, token: string | null = ADMIN_TOKEN, extra: { connectionParams?: Record<string, unknown>; webSocketImpl?: unknown } = {}): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: extra.webSocketImpl ?? WebSocket,
    connectionParams: extra.connectionParams ?? (token ? { Authorization: `Bearer ${token}` } : {}),
    retryAttempts: 0,
    lazy: true,
  });
}

export function wsSubscribe<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Subscription<T> {
  const handle = subscriptionHandle<T>();
  const dispose = client.subscribe<T>(
    { query, variables },
    { next: (r) => (r.errors ? handle.fail(r.errors) : handle.push(r.data as T)), error: (e) => handle.fail(e), complete: () => {} },
  );
  handle.onClose(() => dispose());
  return handle;
}

/** GraphQL over SSE (Yoga's built-in protocol): `next` events carry `data: <ExecutionResult>`. */
export function sseSubscribe<T = any>(url: string, query: string, token: string | null = ADMIN_TOKEN, options: { onComment?: () => void; raw?: boolean } = {}): Subscription<T> & { status: Promise<number> } {
  const handle = subscriptionHandle<T>();
  const abort = new AbortController();
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }), signal: abort.signal });
  let reader: ReadableStreamDefaultReader<string> | null = null;
  const done = (async () => {
    const res = await response;
    reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) return;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (block.startsWith(':')) options.onComment?.();
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (!data) continue;
        const result = JSON.parse(data);
        if (options.raw) handle.push(result);
        else if (result.errors) handle.fail(result.errors);
        else handle.push(result.data);
      }
    }
  })().catch((err) => {
    if (!abort.signal.aborted) handle.fail(err);
  });
  handle.onClose(async () => {
    abort.abort();
    await reader?.cancel().catch(() => {});
    await done;
  });
  // 0 when the request was aborted before an answer came.
  return Object.assign(handle, { status: response.then((r) => r.status, () => 0) });
}

/** Polls `check` until it holds (events arrive asynchronously); rejects after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
