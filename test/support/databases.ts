/**
 * Test databases for every area: a migrated `Db` in a fresh, isolated place, on either backend.
 *
 *   import { backends, withDatabase, type TestDatabase } from '../support/databases';
 *
 *   describe.each(backends)('my feature on %s', (kind) => {
 *     let t: TestDatabase;
 *     beforeAll(async () => { t = await withDatabase(kind); });
 *     afterAll(() => t.cleanup());
 *     it('works', async () => { await t.db.query('SELECT 1'); });
 *   });
 *
 * - `pglite`: a new in-memory PGlite per call.
 * - `postgres`: a unique schema per call on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 *   dropped by `cleanup()`. `t.open()` gives another handle (another pool) on the same schema, e.g. to
 *   play a second gateway replica; `cleanup()` closes those too.
 * Pass `{ migrate: false }` for an empty database.
 */
import { randomBytes } from 'node:crypto';
import { dropSchema, migrate, openDb, type Db } from '../../src/sources/db';

export type BackendKind = 'pglite' | 'postgres';

export const backends: BackendKind[] = ['pglite', 'postgres'];

export const TEST_DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  kind: BackendKind;
  db: Db;
  /** The Postgres schema (postgres only). */
  schema: string | null;
  /** Postgres: another handle on the same schema. PGlite: the same handle (it is one process-local database). */
  open(): Promise<Db>;
  /** Closes every handle and drops the schema. */
  cleanup(): Promise<void>;
}

export async function withDatabase(kind: BackendKind, { migrate: runMigrations = true } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDb({});
    if (runMigrations) await migrate(db);
    return { kind, db, schema: null, open: async () => db, cleanup: () => db.close() };
  }
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const handles: Db[] = [];
  const open = async () => {
    const handle = await openDb({ databaseUrl: TEST_DATABASE_URL, schema, onError: () => {} });
    handles.push(handle);
    return handle;
  };
  const db = await open();
  if (runMigrations) await migrate(db);
  return {
    kind,
    db,
    schema,
    open,
    async cleanup() {
      await Promise.all(handles.map((h) => h.close()));
      await dropSchema(TEST_DATABASE_URL, schema);
    },
  };
}
