/**
 * The real gateway in a child process (`node dist/main.js`, what `npm start` runs; built before the
 * tests by test/support/build-once.ts), in its production
 * shape: its own database on the shared Postgres (created for the test, dropped after), a
 * redis-server of its own, the simulator as Email Bison, api-user keys registered for N clients.
 * For tests about signals, exits and dependencies dying under it.
 *
 *   const r = await startReplica({ sim: { seed: 'x', workspaces: 5 }, clients: 4, env: { LOG_LEVEL: 'warn' } });
 *   await gqlOver(r.main.url, r.token, '{ kpi { totals { clients } } }');
 *   r.main.child.kill('SIGTERM'); const code = await r.main.exited;
 *   await r.close();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { systemClock } from '../../src/clock';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';
import { TEST_DATABASE_URL } from './databases';
import { startRedisServer, type RedisServer } from './redis-server';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface MainProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` from the start-up lines. */
  url: string;
  port: number;
  stdout(): string;
  stderr(): string;
  /** JSON log lines so far (pino writes them to stdout). */
  logs(): Array<Record<string, unknown>>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts the gateway (`dist/main.js`) with exactly `env` (plus PATH and HOME); resolves once it serves. */
export async function startMain(env: Record<string, string>, timeoutMs = 30_000): Promise<MainProcess> {
  const base = Object.fromEntries(['PATH', 'HOME'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
  // One process, as in production (the tsx CLI would relay signals through a parent that SIGKILLs a
  // child which does not acknowledge the signal within 30 ms).
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dist/main.js did not start within ${timeoutMs} ms:\n${out}\n${err}`)), timeoutMs);
    const look = () => {
      const found = /GraphiQL: +(http:\/\/[^/\s]+)\/graphql/.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`dist/main.js exited with ${code} before serving:\n${out}\n${err}`));
    });
  });
  return {
    child,
    url,
    port: Number(new URL(url).port),
    stdout: () => out,
    stderr: () => err,
    logs: () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)),
    exited,
  };
}

/** A GraphQL request to the process with a bearer token; the status and the parsed body. */
export async function gqlOver(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * Registers `count` of the simulator's workspaces as active clients with their api-user keys (what
 * an admin does with `upsertClient`), so the dashboards have rows. Returns their workspace ids.
 */
export async function registerClients(url: string, token: string, sim: Simulator, count: number): Promise<number[]> {
  const workspaces = sim.world.workspaces.filter((w) => sim.apiKeys.has(w.id)).slice(0, count);
  if (workspaces.length < count) throw new Error(`the simulator has ${workspaces.length} workspaces with keys, not ${count}`);
  for (const { id: workspaceId, name } of workspaces) {
    const added = await gqlOver(url, token, 'mutation($i: ClientInput!) { upsertClient(input: $i) { workspaceId } }', {
      i: { workspaceId, name, active: true, monthlyKpiTarget: 10, monthlySendingTarget: 1000, apiKey: sim.apiKeys.get(workspaceId) },
    });
    if (added.body.errors) throw new Error(`upsertClient(${workspaceId}) failed: ${JSON.stringify(added.body.errors)}`);
  }
  return workspaces.map((w) => w.id);
}

export interface TestDatabaseUrl {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test Postgres (a process's own, so migrations run as in production). */
export async function createDatabase(): Promise<TestDatabaseUrl> {
  const name = `bgw_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface Replica {
  main: MainProcess;
  sim: Simulator;
  redis: RedisServer;
  database: TestDatabaseUrl;
  /** The bootstrap admin token (GATEWAY_ADMIN_TOKEN). */
  token: string;
  /** Workspaces registered as clients. */
  workspaces: number[];
  /** Kills the process if it still runs, then the simulator, Redis and the database. */
  close(): Promise<void>;
}

/** A replica on the wall clock against a rate-unlimited simulator; `env` adds to (or overrides) its settings. */
export async function startReplica(options: { sim: SimulatorOptions; clients: number; env?: Record<string, string> }): Promise<Replica> {
  const token = `admin_${randomBytes(18).toString('hex')}`;
  const [redis, database, sim] = await Promise.all([
    startRedisServer(),
    createDatabase(),
    startSimulator({ clock: systemClock, rateLimit: false, ...options.sim }),
  ]);
  const main = await startMain({
    EMAIL_BISON_URL: sim.url,
    EMAIL_BISON_API_KEY: sim.superAdminKey,
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    GATEWAY_ADMIN_TOKEN: token,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PORT: '0',
    UPSTREAM_RATE_PER_MINUTE: '100000',
    UPSTREAM_BURST: '1000',
    // The test registers its clients with their keys, as an admin would (discovery and minting have their own tests).
    EMAIL_BISON_AUTO_REGISTER: 'false',
    EMAIL_BISON_MINT_KEYS: 'false',
    ...options.env,
  });
  const workspaces = await registerClients(main.url, token, sim, options.clients);
  return {
    main, sim, redis, database, token, workspaces,
    async close() {
      if (main.child.exitCode === null && main.child.signalCode === null) {
        main.child.kill('SIGKILL');
        await main.exited;
      }
      await sim.close();
      await redis.stop();
      await database.drop();
    },
  };
}
