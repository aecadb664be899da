/** The messages between the gateway and its embedded database's process (pglite-process.ts, pglite-child.ts). */
export type ChildRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' | 'commit' | 'rollback'; txId: number }
  | { id: number; op: 'close' };

/** A Postgres error's fields that callers look at (SQLSTATE `code` above all). */
export interface WireError {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  constraint?: string;
  table?: string;
  column?: string;
  schema?: string;
  severity?: string;
}

/** `id` 0 is the start-up report: `value: 'ready'`, or the error that stopped it. */
export type ChildReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };
