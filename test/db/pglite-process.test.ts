/**
 * The embedded database in its own process (src/sources/db/pglite-process.ts): the `Db` contract
 * across the IPC channel, and the child's lifetime tied to the gateway's.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/sources/db';
import { isDatabaseUnavailable } from '../../src/sources/db/unavailable';
import { openPgliteProcess, type PgliteProcessHandle } from '../../src/sources/db/pglite-process';

/** Running (a zombie that nobody reaped yet counts as gone). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('PGlite in its own process', () => {
  const opened: PgliteProcessHandle[] = [];
  const open = async () => {
    const db = await openPgliteProcess({});
    opened.push(db);
    return db;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });

  it('is what openDb gives without DATABASE_URL, in a process other than this one', async () => {
    const db = (await openDb({})) as PgliteProcessHandle;
    opened.push(db);
    expect(db.kind).toBe('pglite');
    expect(db.pid).not.toBe(process.pid);
    expect(alive(db.pid)).toBe(true);
    expect((await db.query<{ n: number; at: Date; doc: unknown }>(`SELECT 7::int8 AS n, now() AS at, '{"a":[1,2]}'::jsonb AS doc`)).rows).toEqual([
      { n: 7, at: expect.any(Date), doc: { a: [1, 2] } },
    ]);
  });

  it('commits a transaction, rolls one back, and keeps statements from outside it waiting until it ends', async () => {
    const db = await open();
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, note text)');
    let outside: Promise<{ rows: { n: number }[] }> | null = null;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES ($1, $2)', [1, 'one']);
      // Sent while the transaction is open: it runs after the commit, so it sees the row.
      outside = db.query<{ n: number }>('SELECT count(*) AS n FROM t');
      await new Promise((r) => setTimeout(r, 50));
      await tx.query('INSERT INTO t VALUES ($1, $2)', [2, 'two']);
    });
    expect((await outside!).rows).toEqual([{ n: 2 }]);

    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1, $2)', [3, 'three']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.query('SELECT id FROM t ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("passes Postgres's errors with their SQLSTATE, and a failed statement does not end the database", async () => {
    const db = await open();
    await db.exec('CREATE TABLE u (id int PRIMARY KEY)');
    await db.query('INSERT INTO u VALUES (1)');
    await expect(db.query('INSERT INTO u VALUES (1)')).rejects.toMatchObject({ code: '23505', constraint: 'u_pkey' });
    await expect(db.transaction((tx) => tx.query('INSERT INTO u VALUES (1)'))).rejects.toMatchObject({ code: '23505' });
    await expect(db.query('SELEC 1')).rejects.toMatchObject({ code: '42601' });
    expect((await db.query('SELECT count(*) AS n FROM u')).rows).toEqual([{ n: 1 }]);
  });

  it('ignores SIGTERM (the gateway decides when it closes), and close() ends it', async () => {
    const db = await open();
    process.kill(db.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await db.close();
    await until(() => !alive(db.pid), 'the child to exit');
    await expect(db.query('SELECT 1')).rejects.toSatisfy(isDatabaseUnavailable);
  });

  it('a child that dies fails pending and later statements as "database unavailable", never hangs them', async () => {
    const db = await open();
    const pending = db.query('SELECT pg_sleep(2)');
    await new Promise((r) => setTimeout(r, 100));
    process.kill(db.pid, 'SIGKILL');
    const err = await pending.then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: '08006' });
    expect(isDatabaseUnavailable(err)).toBe(true);
    await expect(db.query('SELECT 1')).rejects.toSatisfy(isDatabaseUnavailable);
  });

  it('never outlives the process that opened it, even one killed with SIGKILL', async () => {
    const script = [
      "import { openPgliteProcess } from './src/sources/db/pglite-process.ts';",
      'const db = await openPgliteProcess({});',
      'console.log(db.pid);',
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
    const childPid = Number(line.toString().trim());
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    await until(() => !alive(childPid), 'the database process to follow its parent');
  }, 60_000);
});
