import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDb } from '../../src/sources/db';
import { backends, TEST_DATABASE_URL, withDatabase, type TestDatabase } from '../support/databases';

describe.each(backends)('Db on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await withDatabase(kind, { migrate: false });
  });
  afterAll(() => t.cleanup());

  it('returns int8 and numeric as numbers, timestamps as Date, json parsed', async () => {
    const { rows } = await t.db.query(
      `SELECT count(*) AS n, 12.50::numeric(12,2) AS money, 9007199254740991::int8 AS big,
              42::int4 AS i, now() AS at, '{"a":[1]}'::jsonb AS doc, true AS flag`,
    );
    expect(rows[0]).toEqual({ n: 1, money: 12.5, big: 9007199254740991, i: 42, at: expect.any(Date), doc: { a: [1] }, flag: true });
  });

  it('binds parameters', async () => {
    const { rows } = await t.db.query<{ sum: number }>('SELECT $1::int + $2::int AS sum', [2, 3]);
    expect(rows[0].sum).toBe(5);
  });

  it('commits a transaction and rolls one back when its function throws', async () => {
    await t.db.exec('CREATE TABLE tx_probe (v int); CREATE TABLE tx_probe2 (v int);');
    await t.db.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe VALUES (1)');
    });
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await t.db.query('SELECT v FROM tx_probe ORDER BY v');
    expect(rows).toEqual([{ v: 1 }]);
    // The handle still works after a rollback.
    expect((await t.db.query('SELECT count(*) AS n FROM tx_probe')).rows[0]).toEqual({ n: 1 });
  });
});

describe('Postgres schema isolation and connection loss', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  beforeAll(async () => {
    a = await withDatabase('postgres', { migrate: false });
    b = await withDatabase('postgres', { migrate: false });
  });
  afterAll(async () => {
    await a.cleanup();
    await b.cleanup();
  });

  it('keeps same-named tables apart in two schemas, on every pooled connection', async () => {
    await a.db.exec('CREATE TABLE probe (v text); INSERT INTO probe VALUES (\'a\');');
    await b.db.exec('CREATE TABLE probe (v text); INSERT INTO probe VALUES (\'b\');');
    // Parallel queries force several pool connections: each must carry the search_path.
    const results = await Promise.all(Array.from({ length: 8 }, () => a.db.query('SELECT v, current_schema() AS s FROM probe')));
    for (const r of results) expect(r.rows).toEqual([{ v: 'a', s: a.schema }]);
    expect((await b.db.query('SELECT v FROM probe')).rows).toEqual([{ v: 'b' }]);
  });

  it('survives the server killing an idle pooled connection', async () => {
    let report!: (err: Error) => void;
    const reported = new Promise<Error>((resolve) => (report = resolve));
    const victim = await openDb({ databaseUrl: TEST_DATABASE_URL, schema: a.schema!, onError: (err) => report(err) });
    const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await a.db.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    expect(await reported).toBeInstanceOf(Error);
    // The pool replaced the dead connection; the process is still here.
    expect((await victim.query('SELECT v FROM probe')).rows).toEqual([{ v: 'a' }]);
    await victim.close();
  });
});

describe('PGlite under DATA_DIR', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bgw-pglite-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps data and applied migrations across a reopen', async () => {
    const first = await openDb({ dataDir: dir });
    expect((await migrate(first)).applied).toContain('001_registry.sql');
    await first.query("INSERT INTO clients (workspace_id, name) VALUES (7, 'Acme')");
    await first.close();

    const second = await openDb({ dataDir: dir });
    expect((await migrate(second)).applied).toEqual([]);
    expect((await second.query('SELECT name FROM clients')).rows).toEqual([{ name: 'Acme' }]);
    await second.close();
  });
});

describe('PGlite settings', () => {
  it('runs with a small buffer cache, in memory and under DATA_DIR (its pages are in memory already)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bgw-pglite-'));
    try {
      for (const db of [await openDb({}), await openDb({ dataDir: dir })]) {
        expect((await db.query('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '16MB' }]);
        await db.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
