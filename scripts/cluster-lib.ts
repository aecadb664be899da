/**
 * A whole deployment on one machine, to try several replicas (`npm run cluster`, scripts/cluster.ts):
 * a throwaway Redis, a throwaway Postgres cluster in a temporary directory (or DATABASE_URL), the
 * Email Bison simulator, N replicas of the built gateway (`node dist/main.js`) sharing them, and a
 * round-robin load balancer in front (HTTP and WebSocket upgrades; it appends X-Forwarded-For and
 * names the replica that answered in `x-bison-replica`). `stop()` ends everything it started, in
 * order, and removes the temporary directory.
 *
 * No container images are needed: redis-server and the Postgres binaries (`initdb`, `pg_ctl` on the
 * PATH or under /usr/lib/postgresql/<version>/bin) are used directly. Run as root, Postgres runs as
 * the `postgres` user (initdb refuses root).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, Agent, request as httpRequest, type Server } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSimulator, type LatencySpec, type Simulator } from '../src/simulator';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

export interface ClusterOptions {
  /** The load balancer's port; 0 = any free one. @default 4000 */
  port?: number;
  /** @default 3 */
  replicas?: number;
  /** Use this Postgres instead of starting a throwaway one. */
  databaseUrl?: string | null;
  /** Use this Redis instead of starting a throwaway one. */
  redisUrl?: string | null;
  /** Simulator workspaces (root + clients). @default 27 */
  workspaces?: number;
  /** Simulator latency. @default 20-60 ms */
  latencyMs?: LatencySpec;
  /** `npm run build` first. @default true */
  build?: boolean;
  /** GATEWAY_ADMIN_TOKEN of every replica (at least 24 characters). @default a random one */
  adminToken?: string | null;
  /** ENCRYPTION_KEY of every replica: keep yours with a DATABASE_URL that holds stored keys. @default a random one */
  encryptionKey?: string | null;
  /** Extra environment for every replica (e.g. RATE_LIMIT_PER_MINUTE). */
  env?: Record<string, string>;
  /** Where progress and the replicas' log lines go. @default stderr */
  log?: (line: string) => void;
}

export interface Replica {
  index: number;
  url: string;
  pid: number;
}

export interface Cluster {
  /** The load balancer: GraphiQL at `${url}/graphql`. */
  url: string;
  replicas: Replica[];
  simulator: { url: string; superAdminKey: string };
  redisUrl: string;
  databaseUrl: string;
  /** GATEWAY_ADMIN_TOKEN of every replica. */
  adminToken: string;
  /** Every process this cluster started (replicas, redis-server, the Postgres postmaster). */
  pids(): number[];
  /** Stops everything this cluster started. Never rejects. */
  stop(): Promise<void>;
}

/** A port free now on 127.0.0.1 (bound once, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Alive and not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, ms: number, ready: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${ms / 1000} s`);
    await sleep(50);
  }
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** One Redis PING over a raw socket: true on +PONG. */
export function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/** `initdb` and `pg_ctl`: from the PATH, else the newest /usr/lib/postgresql/<version>/bin. */
function postgresBin(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, name))) return join(dir, name);
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', name))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error(`cannot find ${name}: install Postgres (15+) or set DATABASE_URL`);
  return join(base, versions[0], 'bin', name);
}

/** Root cannot run Postgres: its commands run as the `postgres` user then. */
function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const { replicas: count = 3, workspaces = 27, latencyMs = { min: 20, max: 60 }, build = true } = options;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const adminToken = options.adminToken || randomBytes(24).toString('hex');
  const encryptionKey = options.encryptionKey || randomBytes(32).toString('base64');
  const temp = mkdtempSync(join(tmpdir(), 'bison-cluster-'));
  /** Undone in reverse order by stop(). */
  const undo: Array<() => Promise<void> | void> = [() => rmSync(temp, { recursive: true, force: true })];
  const pids = new Set<number>();
  const children: ChildProcess[] = [];
  let stopped = false;

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    while (undo.length) {
      try {
        await undo.pop()!();
      } catch (err) {
        log(`cluster: while stopping: ${(err as Error).message}`);
      }
    }
  }
  // The orchestrator dying without stop(): no child is left running.
  const onExit = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  undo.push(() => void process.off('exit', onExit));

  try {
    const [redisUrl, databaseUrl, sim] = await Promise.all([
      options.redisUrl ?? startRedis(),
      options.databaseUrl ?? startPostgres(),
      startSimulator({ port: 0, host: '127.0.0.1', workspaces, latencyMs }).then((s: Simulator) => {
        undo.push(() => s.close());
        return s;
      }),
      build ? run('npm', ['run', 'build'], { cwd: ROOT }) : null,
    ]);

    log(`cluster: starting ${count} replicas`);
    const started = await Promise.all(Array.from({ length: count }, (_, index) => startReplica(index, { redisUrl, databaseUrl, sim })));
    const balancer = await startBalancer(options.port ?? 4000, started);
    return {
      url: balancer,
      replicas: started,
      simulator: { url: sim.url, superAdminKey: sim.superAdminKey },
      redisUrl,
      databaseUrl,
      adminToken,
      pids: () => [...pids],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }

  function track(child: ChildProcess, name: string): ChildProcess {
    children.push(child);
    if (child.pid) pids.add(child.pid);
    const tail: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        child.emit('line', line);
      });
    }
    child.once('exit', (code, signal) => {
      if (!stopped) log(`cluster: ${name} exited (${signal ?? code}) while running:\n${tail.join('\n')}`);
    });
    return child;
  }

  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  async function end(child: ChildProcess, graceMs: number): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await exited(child, graceMs))) {
      child.kill('SIGKILL');
      await exited(child, 5_000);
    }
  }

  async function startRedis(): Promise<string> {
    const port = await freePort();
    const child = track(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'], detached: true, // its own process group: Ctrl-C reaches the orchestrator, which stops it last
    }), 'redis-server');
    undo.push(() => end(child, 5_000));
    await until('redis-server', 10_000, () => ping(port));
    log(`cluster: Redis on redis://127.0.0.1:${port}`);
    return `redis://127.0.0.1:${port}`;
  }

  async function startPostgres(): Promise<string> {
    const port = await freePort();
    const dir = join(temp, 'pg');
    const user = postgresUser();
    if (user) chownSync(temp, user.uid, user.gid);
    const as = user ? { uid: user.uid, gid: user.gid } : {};
    await run(postgresBin('initdb'), ['-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions'], { ...as, cwd: temp });
    const pgCtl = postgresBin('pg_ctl');
    await run(pgCtl, ['-D', dir, '-l', join(temp, 'postgres.log'), '-w', '-t', '30', '-o', `-p ${port} -k ${temp} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`, 'start'], { ...as, cwd: temp });
    const pid = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    pids.add(pid);
    undo.push(async () => {
      await run(pgCtl, ['-D', dir, '-m', 'fast', '-w', '-t', '30', 'stop'], { ...as, cwd: temp }).catch(() => {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      });
    });
    log(`cluster: Postgres on 127.0.0.1:${port} (data in ${dir})`);
    return `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  async function startReplica(index: number, deps: { redisUrl: string; databaseUrl: string; sim: Simulator }): Promise<Replica> {
    // Only what node needs, plus the deployment's settings: nothing else from this shell leaks in.
    const base = Object.fromEntries(['PATH', 'HOME', 'LANG'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
    const child = track(spawn(process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...base,
        PORT: '0',
        HOST: '127.0.0.1',
        EMAIL_BISON_URL: deps.sim.url,
        EMAIL_BISON_API_KEY: deps.sim.superAdminKey,
        DATABASE_URL: deps.databaseUrl,
        REDIS_URL: deps.redisUrl,
        GATEWAY_ADMIN_TOKEN: adminToken,
        ENCRYPTION_KEY: encryptionKey,
        TRUST_PROXY_HOPS: '1', // the balancer appends the client's address to X-Forwarded-For
        SHUTDOWN_GRACE_MS: '3000',
        LOG_LEVEL: 'warn',
        ...options.env,
      },
    }), `replica ${index + 1}`);
    undo.push(() => end(child, 15_000));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replica ${index + 1} printed no GraphiQL line within 60 s`)), 60_000);
      const onExit = (code: number | null) => reject(new Error(`replica ${index + 1} exited (${code}) before it served`));
      child.once('exit', onExit);
      child.on('line', (line: string) => {
        const m = /^GraphiQL:\s+(\S+)\/graphql/.exec(line);
        if (m) {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(m[1]);
        }
      });
      child.on('line', (line: string) => {
        if (line.startsWith('{')) log(`[replica ${index + 1}] ${line}`); // its log (LOG_LEVEL=warn: warnings and worse); the banner is not repeated
      });
    });
    log(`cluster: replica ${index + 1} on ${url} (pid ${child.pid})`);
    return { index, url, pid: child.pid! };
  }

  async function startBalancer(port: number, backends: Replica[]): Promise<string> {
    const agent = new Agent({ keepAlive: true });
    const upgraded = new Set<import('node:net').Socket>();
    let next = 0;
    const pick = () => backends[next++ % backends.length];
    const forwardedFor = (existing: string | string[] | undefined, address: string | undefined) =>
      [existing, address ?? 'unknown'].flat().filter(Boolean).join(', ');
    const server: Server = createHttpServer((req, res) => {
      const backend = pick();
      const target = new URL(backend.url);
      const headers = { ...req.headers, 'x-forwarded-for': forwardedFor(req.headers['x-forwarded-for'], req.socket.remoteAddress) };
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-bison-replica': String(backend.index + 1) });
        answer.pipe(res);
      });
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain', 'x-bison-replica': String(backend.index + 1) });
        res.end(`replica ${backend.index + 1} did not answer: ${err.message}\n`);
      });
      req.pipe(upstream);
    });
    // graphql-ws: the upgrade request goes to one replica, then bytes flow both ways.
    server.on('upgrade', (req, socket, head) => {
      const backend = pick();
      const target = new URL(backend.url);
      const upstream = connect(Number(target.port), target.hostname, () => {
        for (const end of [upstream, socket as import('node:net').Socket]) {
          upgraded.add(end);
          end.once('close', () => upgraded.delete(end));
        }
        const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        lines.push(`X-Forwarded-For: ${forwardedFor(req.headers['x-forwarded-for'], req.socket.remoteAddress)}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length) upstream.write(head);
        socket.pipe(upstream).pipe(socket);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    undo.push(async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      });
      agent.destroy();
    });
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    log(`cluster: load balancer on ${url}`);
    return url;
  }
}
