/**
 * The embedded database's own process: PGlite behind the `Db` interface, spoken to over Node's
 * IPC channel by `pglite-process.ts`. Started by the gateway, never by hand.
 *
 * It answers one message at a time in arrival order (PGlite is one connection; it queues callers
 * itself). A transaction is held open from `begin` to `commit`/`rollback`: statements tagged with
 * its id run inside it, and PGlite keeps every other statement waiting until it ends, as one
 * Postgres connection would.
 *
 * Signals: a Ctrl-C or SIGTERM sent to the whole process group reaches this process too, but the
 * gateway still has monitoring rows to write while it shuts down, so this process ignores them and
 * ends when the gateway says `close` or its IPC channel goes (the gateway exited, even by SIGKILL).
 */
import { setFlagsFromString } from 'node:v8';
import { openPglite } from './pglite';
import type { Db } from './types';
import type { PgliteOptions } from './pglite';
import type { ChildReply, ChildRequest, WireError } from './pglite-wire';

// Postgres here is a 9 MB WebAssembly module. V8 compiles it at once with its baseline compiler
// (Liftoff), then compiles it all again, optimised (TurboFan), in the background: ~70 MB more
// resident memory and seconds of a core at start-up, for statements that are small and few
// (measured in this process: 355 -> 280 MB RSS, and 50 inserts + 50 scans ran no slower).
setFlagsFromString('--liftoff-only');

process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

const send = (reply: ChildReply) => process.send?.(reply);

function wireError(err: unknown): WireError {
  const e = err as Record<string, unknown> | null;
  const out: WireError = { message: err instanceof Error ? err.message : String(err) };
  for (const field of ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'severity'] as const) {
    if (typeof e?.[field] === 'string') out[field] = e[field] as string;
  }
  return out;
}

type Tx = Pick<Db, 'query' | 'exec'>;
const transactions = new Map<number, { tx: Tx; end: (commit: boolean) => void; done: Promise<void> }>();

let db: Db | null = null;
let closing: Promise<void> | null = null;

async function close(): Promise<void> {
  closing ??= (async () => {
    for (const t of transactions.values()) t.end(false);
    await db?.close().catch(() => {});
  })();
  return closing;
}

async function handle(m: ChildRequest): Promise<unknown> {
  if (m.op === 'close') {
    await close();
    return null;
  }
  if (!db || closing) throw Object.assign(new Error('the embedded database is closed'), { code: '57P01' });
  switch (m.op) {
    case 'query':
      return (await inside(db, m.tx).query(m.sql, m.params)).rows;
    case 'exec':
      await inside(db, m.tx).exec(m.sql);
      return null;
    case 'begin':
      return begin(db, m.txId);
    case 'commit':
    case 'rollback': {
      const t = transactions.get(m.txId) ?? missingTransaction(m.txId);
      t.end(m.op === 'commit');
      await t.done;
      return null;
    }
  }
}

/** The open transaction `tx`, or the database itself for a statement outside any. */
function inside(on: Db, tx: number | undefined): Tx {
  return tx === undefined ? on : (transactions.get(tx)?.tx ?? missingTransaction(tx));
}

function missingTransaction(id: number): never {
  throw new Error(`the embedded database has no open transaction ${id}`);
}

/** Opens a transaction that stays open until `commit`/`rollback`; resolves once it has begun. */
function begin(on: Db, txId: number): Promise<null> {
  return new Promise<null>((begun, failedToBegin) => {
    let end!: (commit: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (end = resolve));
    const done = on
      .transaction(async (tx) => {
        transactions.set(txId, { tx, end, done });
        begun(null);
        if (!(await decided)) throw ROLLBACK;
      })
      .catch((err) => {
        if (err !== ROLLBACK) throw err;
      })
      .finally(() => transactions.delete(txId));
    done.catch(failedToBegin); // before it began: the caller hears why; after, `commit` does
  });
}
const ROLLBACK = Symbol('rollback');

process.on('message', (m: ChildRequest) => {
  handle(m).then(
    (value) => send({ id: m.id, ok: true, value }),
    (err: unknown) => send({ id: m.id, ok: false, error: wireError(err) }),
  );
});
process.on('disconnect', () => void close().finally(() => process.exit(0)));

try {
  const options = JSON.parse(process.env.BISON_GATEWAY_PGLITE ?? '{}') as PgliteOptions;
  db = await openPglite(options);
  send({ id: 0, ok: true, value: 'ready' });
} catch (err) {
  send({ id: 0, ok: false, error: wireError(err) });
  process.exit(1);
}
