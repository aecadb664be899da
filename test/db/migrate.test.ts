import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, MigrationError } from '../../src/sources/db';
import { findMigrationsDir } from '../../src/sources/db/migrate';
import { backends, withDatabase, type TestDatabase } from '../support/databases';

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bgw-sql-'));
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
  return dir;
}

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempMigrations(files: Record<string, string>) {
  const dir = await migrationsDir(files);
  dirs.push(dir);
  return dir;
}

describe.each(backends)('migrate on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await withDatabase(kind, { migrate: false });
  });
  afterEach(() => t.cleanup());

  it('applies the project migrations once, then nothing', async () => {
    const first = await migrate(t.db);
    expect(first.applied[0]).toBe('001_registry.sql');
    expect(first.alreadyApplied).toBe(0);
    const second = await migrate(t.db);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
    const { rows } = await t.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(first.applied.map((n) => Number(n.slice(0, 3))));
  });

  it('applies files in numeric order and only the new ones later', async () => {
    const dir = await tempMigrations({
      '002_b.sql': "INSERT INTO steps VALUES ('b');",
      '001_a.sql': "CREATE TABLE steps (name text); INSERT INTO steps VALUES ('a');",
    });
    expect((await migrate(t.db, dir)).applied).toEqual(['001_a.sql', '002_b.sql']);
    await writeFile(join(dir, '010_c.sql'), "INSERT INTO steps VALUES ('c');");
    expect(await migrate(t.db, dir)).toEqual({ applied: ['010_c.sql'], alreadyApplied: 2 });
    expect((await t.db.query('SELECT name FROM steps')).rows).toEqual([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  });

  it('refuses to start when an applied migration file changed', async () => {
    const dir = await tempMigrations({ '001_a.sql': 'CREATE TABLE a (v int);' });
    await migrate(t.db, dir);
    await writeFile(join(dir, '001_a.sql'), 'CREATE TABLE a (v bigint);');
    const error = await migrate(t.db, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/001_a\.sql was changed after it was applied/);
  });

  it('rolls back a failing migration entirely and names the file', async () => {
    const dir = await tempMigrations({ '001_ok.sql': 'CREATE TABLE ok (v int);', '002_bad.sql': 'CREATE TABLE half (v int); SELECT * FROM missing_table;' });
    await expect(migrate(t.db, dir)).rejects.toThrow(/002_bad\.sql failed/);
    const { rows } = await t.db.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'half' AND table_schema = current_schema()");
    expect(rows[0]).toEqual({ n: 0 });
    expect((await t.db.query('SELECT name FROM schema_migrations')).rows).toEqual([{ name: '001_ok.sql' }]);
  });

  it('rejects badly named or duplicate-numbered files before touching the database', async () => {
    await expect(migrate(t.db, await tempMigrations({ 'init.sql': 'SELECT 1;' }))).rejects.toThrow(/init\.sql must be named NNN_name\.sql/);
    await expect(migrate(t.db, await tempMigrations({ '001_a.sql': 'SELECT 1;', '001_b.sql': 'SELECT 1;' }))).rejects.toThrow(/share the number 001/);
  });
});

describe('migrate from several replicas at once (postgres)', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await withDatabase('postgres', { migrate: false });
  });
  afterEach(() => t.cleanup());

  it('applies each file exactly once', async () => {
    // No IF NOT EXISTS: a second application would fail, and the counter would show it.
    const dir = await tempMigrations({
      '001_a.sql': 'CREATE TABLE applied (file text); INSERT INTO applied VALUES (\'001\');',
      '002_b.sql': "SELECT pg_sleep(0.05); CREATE TABLE b (v int); INSERT INTO applied VALUES ('002');",
      '003_c.sql': "INSERT INTO applied VALUES ('003');",
    });
    const replicas = await Promise.all([t.open(), t.open(), t.open()]);
    const results = await Promise.all(replicas.map((db) => migrate(db, dir)));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(['001_a.sql', '002_b.sql', '003_c.sql']);
    expect((await t.db.query('SELECT file FROM applied ORDER BY file')).rows).toEqual([{ file: '001' }, { file: '002' }, { file: '003' }]);
  });
});

describe('findMigrationsDir', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  it('finds the package sql/ folder from the sources (tsx) and from the dist/ bundle', () => {
    const expected = join(root, 'sql');
    expect(findMigrationsDir(pathToFileURL(join(root, 'src/sources/db/migrate.ts')).href)).toBe(expected);
    expect(findMigrationsDir(pathToFileURL(join(root, 'dist/main.js')).href)).toBe(expected);
  });
});
