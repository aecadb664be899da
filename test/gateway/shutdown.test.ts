/**
 * SIGTERM under load, the way production stops a replica: the real `src/main.ts` in a child
 * process on Postgres and a Redis of its own, against the simulator answering in 1 s, with 16
 * requests in flight and 10 subscriptions open (5 SSE, 5 graphql-ws). Every request completes with
 * 200, new connections are refused at once, every subscription gets a clean close (SSE: `event:
 * complete` and the end of the stream; graphql-ws: `complete` per operation, then a normal close),
 * every upstream attempt has its monitoring row, and the exit code is 0.
 */
import { connect } from 'node:net';
import pg from 'pg';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlOver, startReplica, type Replica } from '../support/main-process';
import { eventually } from '../subscriptions/clients';

const LIVE = 'subscription { kpiUpdated { changedWorkspaceIds kpi { totals { clients } } } }';

/** One SSE subscription read to its end: the values it got and whether it ended with `event: complete`. */
function sse(url: string, token: string) {
  const state = { values: 0, completed: false, ended: false, failed: null as unknown };
  const done = (async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: LIVE }),
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      text += value;
      state.values = (text.match(/^event: next$/gm) ?? []).length;
      state.completed = /^event: complete$/m.test(text);
    }
    state.ended = true;
  })().catch((err) => (state.failed = err));
  return { state, done };
}

/** One graphql-ws connection with one subscription: values, `complete`, and the close code. */
function ws(url: string, token: string) {
  const state = { values: 0, completed: false, closeCode: null as number | null, errors: [] as unknown[] };
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: { closed: (event) => void (state.closeCode = (event as { code: number }).code) },
  });
  client.subscribe({ query: LIVE }, {
    next: () => void (state.values += 1),
    error: (err) => void state.errors.push(err),
    complete: () => void (state.completed = true),
  });
  return { state, client };
}

/** Whether a new TCP connection to the port is refused. */
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

describe('SIGTERM with requests in flight and subscriptions open (src/main.ts in a child process)', () => {
  let replica: Replica;

  beforeAll(async () => {
    replica = await startReplica({
      sim: { seed: 'shutdown', workspaces: 17, mailboxes: 120 },
      clients: 16,
      env: { UPSTREAM_CONCURRENCY: '64', SHUTDOWN_GRACE_MS: '10000', LOG_LEVEL: 'info' },
    });
  }, 60_000);
  afterAll(() => replica?.close());

  it('finishes all 16 requests, closes every subscription cleanly, loses no monitoring row and exits 0', async () => {
    const { main, sim, token, workspaces } = replica;
    const gql = (query: string, variables?: Record<string, unknown>) => gqlOver(main.url, token, query, variables);
    expect((await gql('{ kpi { totals { clients } } }')).body.data.kpi.totals.clients).toBe(16);

    const streams = Array.from({ length: 5 }, () => sse(main.url, token));
    const sockets = Array.from({ length: 5 }, () => ws(main.url, token));
    await eventually(() => [...streams, ...sockets].every((s) => s.state.values >= 1), 15_000, 'every subscription to get its first snapshot');

    // One forced refetch per workspace: each is one upstream call (one page of mailboxes), so 16
    // calls at the upstream at once means all 16 requests are being served.
    await eventually(() => sim.control.counters().inFlight === 0, 10_000, 'the upstream to be quiet');
    sim.control.setLatency(1_000);
    const requests = workspaces.map((workspaceId) =>
      gql('mutation($w: Int) { refresh(dashboard: INFRASTRUCTURE, workspaceId: $w) { state origin } }', { w: workspaceId }));
    await eventually(() => sim.control.counters().inFlight >= 16, 10_000, 'the 16 refreshes to be waiting on the upstream');

    const signalled = performance.now();
    main.child.kill('SIGTERM');
    await eventually(() => refused(main.port), 2_000, 'new connections to be refused');
    const answers = await Promise.all(requests);
    const exitCode = await main.exited;
    const stoppedMs = performance.now() - signalled;
    await Promise.all(streams.map((s) => s.done));

    expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
    for (const a of answers) {
      expect(a.body.errors).toBeUndefined();
      expect(a.body.data.refresh.origin).toBe('UPSTREAM');
    }
    for (const s of streams) expect(s.state).toMatchObject({ completed: true, ended: true, failed: null });
    await eventually(() => sockets.every((s) => s.state.closeCode !== null), 5_000, 'the WebSockets to close');
    // Completed first; then the client closes its idle connection (1000) or the server says goodbye (1001).
    for (const s of sockets) {
      expect(s.state).toMatchObject({ completed: true, errors: [] });
      expect([1000, 1001]).toContain(s.state.closeCode);
    }

    expect(exitCode).toBe(0);
    expect(stoppedMs).toBeLessThan(10_000);
    expect(main.stderr()).toBe('');
    const stopped = main.logs().find((l) => l.msg === 'stopped') as { monitoring: { pending: number; dropped: number } } | undefined;
    expect(stopped?.monitoring).toMatchObject({ pending: 0, dropped: 0 });

    // One row per upstream attempt: every authenticated request the simulator answered.
    const attempts = Object.values(sim.control.counters().byKey).reduce((a, b) => a + b, 0);
    const db = new pg.Client({ connectionString: replica.database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_health_logs');
      expect(rows[0].n).toBe(attempts);
      expect(attempts).toBeGreaterThan(16);
    } finally {
      await db.end();
    }
  }, 60_000);
});
