/**
 * Server processes under test: started as children pinned to their own core (`taskset`), away
 * from the load generator, and measured from outside through /proc (CPU time, RSS).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

/** Core 0 for the bench process (load generator, simulator), the last core for the server. */
export const CORES = availableParallelism();
export const SERVER_CORE = CORES > 1 ? CORES - 1 : null;
const LOAD_CORE = CORES > 1 ? 0 : null;

let tasksetWorks: boolean | null = null;
function canPin(): boolean {
  if (tasksetWorks === null) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      tasksetWorks = true;
    } catch {
      tasksetWorks = false;
    }
  }
  return tasksetWorks;
}

/** Pins this (the bench) process to the load core. Returns a line for the report. */
export function pinSelf(): string {
  if (LOAD_CORE === null || SERVER_CORE === null || !canPin()) return 'not pinned (one core or no taskset)';
  execFileSync('taskset', ['-a', '-p', '-c', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  return `load generator and simulator on core ${LOAD_CORE}, server under test on core ${SERVER_CORE} (taskset)`;
}

export interface ServerChild {
  info: Record<string, unknown> & { gateway?: string; url?: string; pid: number };
  url: string;
  pid: number;
  process: ChildProcess;
  /** User + system CPU time of the child so far, ms. */
  cpuMs(): number;
  /** Resident set size now, MB. */
  rssMb(): number;
  /** Resident set size of its child processes (the embedded database's), MB. */
  childrenRssMb(): number;
  stop(): Promise<void>;
}

export interface ChildOptions {
  /** Script under bench/, e.g. 'gateway-server.ts'. */
  script: string;
  env?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=...']. */
  nodeFlags?: string[];
  /** @default 120 s */
  startTimeoutMs?: number;
  /**
   * Run the TypeScript source through tsx (for `--cpu-prof`, whose report attributes time by
   * source file). By default the script runs bundled, as `npm start` runs the gateway: compiled
   * JavaScript, without tsx's loader and its source maps in the process's memory.
   */
  source?: boolean;
}

const bundles = new Map<string, Promise<string>>();

/** Bundles `bench/<script>` (and the embedded database's process entry) into bench/.build, once per run. */
function bundled(script: string): Promise<string> {
  let pending = bundles.get(script);
  if (!pending) {
    pending = (async () => {
      const { build } = await import('esbuild');
      const name = script.replace(/\.ts$/, '');
      await build({
        entryPoints: { [name]: `${BENCH_DIR}${script}`, 'pglite-child': `${BENCH_DIR}../src/sources/db/pglite-child.ts` },
        outdir: `${BENCH_DIR}.build`,
        bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external',
        chunkNames: 'chunks/[name]-[hash]', logLevel: 'warning',
      });
      return `${BENCH_DIR}.build/${name}.js`;
    })();
    bundles.set(script, pending);
  }
  return pending;
}

/** Starts `bench/<script>` (bundled, or through tsx) pinned to the server core; resolves on its JSON ready line. */
export async function startChild(options: ChildOptions): Promise<ServerChild> {
  const entry = options.source ? ['--import', 'tsx', `${BENCH_DIR}${options.script}`] : [await bundled(options.script)];
  const args = [...(options.nodeFlags ?? []), ...entry];
  const pinned = SERVER_CORE !== null && canPin();
  const [cmd, argv] = pinned ? ['taskset', ['-c', String(SERVER_CORE), process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv as string[], {
    cwd: `${BENCH_DIR}..`,
    // One bench token sends thousands of requests a second: lift the per-token rate limit (600/min by default).
    env: { ...process.env, LOG_LEVEL: 'silent', GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN, RATE_LIMIT_PER_MINUTE: '1000000', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const info = await new Promise<ServerChild['info']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.script} did not start within ${options.startTimeoutMs ?? 120_000} ms\n${stderr}`)), options.startTimeoutMs ?? 120_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.script} exited with ${code} before it was ready\n${stderr}`));
    });
  });
  const pid = child.pid!; // taskset execs node, so this is the server's own pid
  const url = String(info.gateway ?? info.url);
  return {
    info,
    url,
    pid,
    process: child,
    cpuMs: () => cpuMsOf(pid),
    rssMb: () => rssMbOf(pid),
    childrenRssMb: () => treeRssKb(pid) / 1024 - rssMbOf(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuMsOf(pid: number): number {
  // /proc/<pid>/stat: fields after the ")" of the command name; utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** RSS of a process and all its descendants, kB (0 once it has ended). */
export function treeRssKb(pid: number): number {
  let kb = 0;
  try {
    kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) kb += treeRssKb(Number(child));
    }
  } catch {
    // the process ended meanwhile
  }
  return kb;
}

function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
