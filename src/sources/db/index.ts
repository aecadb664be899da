/**
 * Opens the gateway's database: node-postgres when `databaseUrl` is set, else PGlite in a process of
 * its own (pglite-process.ts; persisted under `dataDir`, or in memory). Both return int8 and numeric columns as JS numbers and
 * timestamps as Date (see value-types.ts), so SQL and callers never branch on the backend.
 */
import { join } from 'node:path';
import type { Db } from './types';
import { openPgliteProcess } from './pglite-process';
import { openPostgres } from './postgres';

export type { Db } from './types';
export { dropSchema } from './postgres';
export { migrate, MigrationError, type MigrationResult } from './migrate';

export interface OpenDbOptions {
  /** Postgres connection URL; wins over `dataDir`. */
  databaseUrl?: string | null;
  /** Where PGlite keeps its files (`<dataDir>/pglite`); null = in memory. */
  dataDir?: string | null;
  /** Put every table in this Postgres schema (created if missing). Used by tests to isolate themselves. */
  schema?: string;
  /** Postgres only: called when an idle pooled connection fails. */
  onError?: (err: Error) => void;
}

export async function openDb({ databaseUrl, dataDir, schema, onError }: OpenDbOptions): Promise<Db> {
  if (databaseUrl) return openPostgres({ databaseUrl, schema, onError });
  return openPgliteProcess({ dataDir: dataDir ? join(dataDir, 'pglite') : null, schema });
}
