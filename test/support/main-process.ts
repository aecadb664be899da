/**
 * The real `src/main.ts` in a child process (`node --import tsx src/main.ts`), and a database of its own on
 * the shared Postgres (created for the test, dropped after), for tests about signals and exits.
 *
 *   const db = await createDatabase();
 *   const main = await startMain({ DATABASE_URL: db.url, EMAIL_BISON_URL: sim.url, ... });
 *   await fetch(`${main.url}/ready`);
 *   main.child.kill('SIGTERM'); const code = await main.exited;
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Simulator } from '../../src/simulator';
import { TEST_DATABASE_URL } from './databases';

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

/** Starts `src/main.ts` with exactly `env` (plus PATH and HOME); resolves once it serves. */
export async function startMain(env: Record<string, string>, timeoutMs = 30_000): Promise<MainProcess> {
  const base = Object.fromEntries(['PATH', 'HOME'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
  // One process, as in production: the tsx CLI would relay signals through a parent that SIGKILLs a
  // child which does not acknowledge the signal within 30 ms (a busy event loop easily misses that).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`src/main.ts did not start within ${timeoutMs} ms:\n${out}\n${err}`)), timeoutMs);
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
      reject(new Error(`src/main.ts exited with ${code} before serving:\n${out}\n${err}`));
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
