/** The embedded backend: PGlite (Postgres in WebAssembly), in memory or persisted under a directory. */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { freshClusterTemplate } from './pglite-template';
import type { Db } from './types';
import { INT8_OID, NUMERIC_OID, assertSchemaName, parseInt8, parseNumeric } from './value-types';

export interface PgliteOptions {
  /** Directory holding the database files; null/undefined = in memory (gone at exit). */
  dataDir?: string | null;
  /** Postgres schema to create and put on the search_path. */
  schema?: string;
}

/**
 * Postgres settings of the embedded database. PGlite keeps its files in memory (MEMFS, or the
 * page cache of the data directory), so Postgres's own buffer cache holds a second copy of every
 * page it reads: at the default 128 MB that copy was most of PGlite's footprint (an empty
 * gateway's PGlite measured ~120 MB more RSS with 128 MB than with 16 MB). A buffer miss here
 * is a memory copy, not a disk read, so a small cache costs next to nothing. The gateway's
 * tables (registry, tokens, monitoring rows) are small.
 */
export const PGLITE_SETTINGS = ['shared_buffers=16MB'];

export async function openPglite({ dataDir, schema }: PgliteOptions = {}): Promise<Db> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const parsers = { [INT8_OID]: parseInt8, [NUMERIC_OID]: parseNumeric };
  // In memory, start from a snapshot of a freshly initialised cluster instead of running initdb
  // each time (about 1 s instead of 4-10 s on this 2-core machine).
  const template = dataDir ? undefined : await freshClusterTemplate();
  const startParams = [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ['-c', setting])];
  const pg = dataDir
    ? await PGlite.create(dataDir, { parsers, startParams })
    : await PGlite.create({ parsers, startParams, loadDataDir: template });
  // PGlite is one connection, so a session-level search_path covers every later query.
  if (schema) {
    const name = assertSchemaName(schema);
    await pg.exec(`CREATE SCHEMA IF NOT EXISTS "${name}"; SET search_path TO "${name}";`);
  }

  return {
    kind: 'pglite',
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await pg.query<Row>(sql, params);
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
    transaction(fn) {
      // PGlite queues other callers behind the transaction: inside `fn`, use `tx`, never the outer db.
      return pg.transaction((tx) =>
        fn({
          query: async <Row>(sql: string, params?: unknown[]) => ({ rows: (await tx.query<Row>(sql, params)).rows }),
          exec: async (sql: string) => {
            await tx.exec(sql);
          },
        }),
      );
    },
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}
