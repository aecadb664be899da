/**
 * SIGTERM under load, the way production stops a replica: the real `src/main.ts` in a child
 * process on Postgres and a Redis of its own, against the simulator answering in 1 s, with 16
 * requests in flight and 10 subscriptions open (5 SSE, 5 graphql-ws). Every request completes with
 * 200, new connections are refused at once, every subscription gets a clean close (SSE: `event:
 * complete` and the end of the stream; graphql-ws: `complete` per operation, then a normal close),
 * every upstream attempt has its monitoring row, and the exit code is 0.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import pg from 'pg';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock';
import { startSimulator, type Simulator } from '../../src/simulator';
import { createDatabase, gqlOver, registerClients, startMain, type MainProcess, type TestDatabaseUrl } from '../support/main-process';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { eventually } from '../subscriptions/clients';

const ADMIN = `admin_${randomBytes(18).toString('hex')}`;
const LIVE = 'subscription { kpiUpdated { changedWorkspaceIds kpi { totals { clients } } } }';

/** One SSE subscription read to its end: the values it got and whether it ended with `event: complete`. */
function sse(url: string) {
  const state = { values: 0, completed: false, ended: false, failed: null as unknown };
  const done = (async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${ADMIN}` },
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
function ws(url: string) {
  const state = { values: 0, completed: false, closeCode: null as number | null, errors: [] as unknown[] };
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${ADMIN}` },
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
  let redis: RedisServer;
  let database: TestDatabaseUrl;
  let sim: Simulator;
  let main: MainProcess;

  beforeAll(async () => {
    [redis, database, sim] = await Promise.all([
      startRedisServer(),
      createDatabase(),
      startSimulator({ clock: systemClock, seed: 'shutdown', rateLimit: false, workspaces: 17, mailboxes: 120 }),
    ]);
    main = await startMain({
      EMAIL_BISON_URL: sim.url,
      EMAIL_BISON_API_KEY: sim.superAdminKey,
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      GATEWAY_ADMIN_TOKEN: ADMIN,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PORT: '0',
      UPSTREAM_CONCURRENCY: '64',
      UPSTREAM_RATE_PER_MINUTE: '100000',
      UPSTREAM_BURST: '1000',
      SHUTDOWN_GRACE_MS: '10000',
      LOG_LEVEL: 'info',
    });
  }, 60_000);
  afterAll(async () => {
    if (main && main.child.exitCode === null) main.child.kill('SIGKILL');
    await sim?.close();
    await redis?.stop();
    await database?.drop();
  });

  it('finishes all 16 requests, closes every subscription cleanly, loses no monitoring row and exits 0', async () => {
    const gql = (query: string, variables?: Record<string, unknown>) => gqlOver(main.url, ADMIN, query, variables);
    const workspaces = await registerClients(main.url, ADMIN, sim, 16);
    expect((await gql('{ kpi { totals { clients } } }')).body.data.kpi.totals.clients).toBe(16);

    const streams = Array.from({ length: 5 }, () => sse(main.url));
    const sockets = Array.from({ length: 5 }, () => ws(main.url));
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
    const db = new pg.Client({ connectionString: database.url });
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
