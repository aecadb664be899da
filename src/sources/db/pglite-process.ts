/**
 * The embedded database in its own process: PGlite (`pglite-child.ts`) behind the same `Db`
 * interface, spoken to over Node's IPC channel.
 *
 * Why a process of its own: PGlite is Postgres compiled to WebAssembly, and in the gateway's process
 * it cost ~250 MB of resident memory (its 128 MB WebAssembly heap, the compiled module, an in-memory
 * file system holding the cluster) next to the gateway's own, and every statement ran synchronously
 * on the gateway's event loop. Here the gateway's process holds only the gateway, and a monitoring
 * flush or a registry write no longer stalls requests and upstream dispatch while Postgres runs.
 *
 * The child lives as long as this handle: `close()` ends it, and it ends by itself when the
 * gateway's process goes (its IPC channel closes), so it never outlives the gateway. If it dies
 * on its own, every pending and later statement fails with SQLSTATE 08006 (connection failure),
 * which callers already treat as "database unavailable", as they would a Postgres that went away.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './types';
import type { PgliteOptions } from './pglite';
import type { ChildReply, ChildRequest, WireError } from './pglite-wire';

/** A request before `call` numbers it. */
type Unnumbered = ChildRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface PgliteProcessHandle extends Db {
  /** The child's pid (for tests and the bench's memory figures). */
  readonly pid: number;
}

/** Where the child's entry is: beside this source file under tsx/vitest, beside the bundle when built. */
function childEntry(): { path: string; execArgv: string[] } {
  const here = import.meta.url;
  if (/\.[cm]?ts$/.test(new URL(here).pathname)) return { path: fileURLToPath(new URL('./pglite-child.ts', here)), execArgv: ['--import', 'tsx'] };
  for (const candidate of ['./pglite-child.js', '../pglite-child.js']) {
    const path = fileURLToPath(new URL(candidate, here));
    if (existsSync(path)) return { path, execArgv: [] };
  }
  throw new Error('pglite-child.js is missing beside the built gateway: run `npm run build`');
}

function toError(e: WireError): Error {
  return Object.assign(new Error(e.message), e);
}

function goneError(detail: string): Error {
  return Object.assign(new Error(`the embedded database process ${detail}`), { code: '08006' });
}

export async function openPgliteProcess(options: PgliteOptions = {}, { startTimeoutMs = 120_000 } = {}): Promise<PgliteProcessHandle> {
  const entry = childEntry();
  const child: ChildProcess = fork(entry.path, [], {
    execArgv: entry.execArgv,
    serialization: 'advanced', // Date, Uint8Array and nested rows cross as they are
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, BISON_GATEWAY_PGLITE: JSON.stringify(options) },
  });

  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let gone: Error | null = null;

  // The channel keeps this process alive only while a statement is under way, so a handle left
  // open never holds an exiting process (the child then ends with the channel).
  const hold = () => {
    if (pending.size === 1) {
      child.ref();
      child.channel?.ref();
    }
  };
  const release = () => {
    if (pending.size === 0) {
      child.unref();
      child.channel?.unref();
    }
  };

  child.on('message', (reply: ChildReply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    release();
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(toError(reply.error));
  });
  child.on('error', (err) => fail(goneError(`failed: ${err.message}`)));
  child.on('exit', (code, signal) => fail(goneError(`exited (${signal ?? `code ${code}`})`)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  function fail(err: Error): void {
    gone ??= err;
    for (const waiter of pending.values()) waiter.reject(gone);
    pending.clear();
    release();
  }

  function call(request: Unnumbered): Promise<unknown> {
    if (gone) return Promise.reject(gone);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      hold();
      child.send({ ...request, id } as ChildRequest, (err) => {
        if (err && pending.delete(id)) {
          release();
          reject(goneError(`cannot be reached: ${err.message}`));
        }
      });
    });
  }

  // Start-up: the child reports on id 0.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(goneError(`did not start within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    pending.set(0, {
      resolve: () => {
        clearTimeout(timer);
        resolve();
      },
      reject: (err) => {
        clearTimeout(timer);
        reject(err);
      },
    });
    hold();
  });

  let nextTx = 1;
  let closing: Promise<void> | null = null;
  const rowsOf = <Row>(value: unknown) => ({ rows: value as Row[] });

  return {
    kind: 'pglite',
    pid: child.pid!,
    async query<Row>(sql: string, params?: unknown[]) {
      return rowsOf<Row>(await call({ op: 'query', sql, params }));
    },
    async exec(sql: string) {
      await call({ op: 'exec', sql });
    },
    async transaction(fn) {
      const txId = nextTx++;
      await call({ op: 'begin', txId });
      let result;
      try {
        result = await fn({
          query: async <Row>(sql: string, params?: unknown[]) => rowsOf<Row>(await call({ op: 'query', sql, params, tx: txId })),
          exec: async (sql: string) => {
            await call({ op: 'exec', sql, tx: txId });
          },
        });
      } catch (err) {
        await call({ op: 'rollback', txId }).catch(() => {});
        throw err;
      }
      await call({ op: 'commit', txId });
      return result;
    },
    close() {
      closing ??= (async () => {
        if (!gone) {
          await call({ op: 'close' }).catch(() => {});
          gone = goneError('is closed');
          child.disconnect();
        }
        if (child.exitCode === null && child.signalCode === null) {
          child.ref(); // closing waits for the child to be gone
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(kill);
        }
      })();
      return closing;
    },
  };
}
