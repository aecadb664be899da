/** The production backend: a node-postgres pool against `DATABASE_URL`. */
import pg from 'pg';
import type { Db } from './types';
import { INT8_OID, NUMERIC_OID, assertSchemaName, parseInt8, parseNumeric } from './value-types';

export interface PostgresOptions {
  databaseUrl: string;
  /** Postgres schema to create and put on every pooled connection's search_path. */
  schema?: string;
  /** @default 10 */
  poolSize?: number;
  /**
   * Called when an idle connection fails (server restarted, network cut). The pool drops that
   * connection and opens a new one on the next query; without a listener node-postgres would crash
   * the process. @default one line on stderr
   */
  onError?: (err: Error) => void;
}

// Per-pool type parsers (not pg.types.setTypeParser, which would change every pg user in the process).
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return parseInt8;
    if (oid === NUMERIC_OID) return parseNumeric;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function logPoolError(err: Error): void {
  // The message of a connection error names no password; the URL is never printed.
  process.stderr.write(`[db] Postgres connection error (connection dropped, will reconnect): ${err.message}\n`);
}

export async function openPostgres({ databaseUrl, schema, poolSize = 10, onError = logPoolError }: PostgresOptions): Promise<Db> {
  const name = schema ? assertSchemaName(schema) : undefined;
  if (name) await createSchema(databaseUrl, name);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    types: typeParsers,
    // Sent in the startup packet, so every pooled connection has it without an extra round trip.
    options: name ? `-c search_path="${name}"` : undefined,
    // A database that hangs instead of refusing must not hang its callers: the monitoring
    // recorder retries later and the request path keeps its last good registry read.
    connectionTimeoutMillis: 5_000,
    query_timeout: 15_000,
  });
  pool.on('error', onError);

  return {
    kind: 'postgres',
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await pool.query(sql, params);
      return { rows: result.rows as Row[] };
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      // A checked-out client has no pool listener: without this, a dropped connection crashes the process.
      let broken: Error | undefined;
      const onClientError = (err: Error) => {
        broken = err;
        onError(err);
      };
      client.on('error', onClientError);
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async <Row>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as Row[] }),
          exec: async (sql: string) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken ??= rollbackErr as Error;
        }
        throw err;
      } finally {
        client.off('error', onClientError);
        // A broken connection is destroyed rather than returned to the pool.
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

async function createSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (err) {
    // Two replicas racing on CREATE SCHEMA IF NOT EXISTS can collide on the catalog; the schema exists then.
    if ((err as { code?: string }).code !== '23505') throw err;
  } finally {
    await client.end();
  }
}

/** Drops a schema and everything in it (test cleanup). */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${assertSchemaName(schema)}" CASCADE`);
  } finally {
    await client.end();
  }
}
