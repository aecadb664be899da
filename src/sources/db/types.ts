/**
 * The one small database interface the gateway uses, implemented by PGlite (embedded default) and
 * by node-postgres (`DATABASE_URL`). SQL is written once, in Postgres dialect, with $1.. parameters.
 */
export interface Db {
  /** Which engine backs this handle: for logs and /ready, never for branching SQL. */
  readonly kind: 'pglite' | 'postgres';
  /** Row values on both backends: int8 (e.g. COUNT) and numeric -> number, timestamptz -> Date, json -> parsed. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** Runs several statements (no parameters), e.g. a migration file. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection. */
  transaction<T>(fn: (tx: Pick<Db, 'query' | 'exec'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
