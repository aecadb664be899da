/**
 * The cluster lock of a super-admin key for replicas that share Postgres: a group of calls on the
 * key (key-lock.ts) runs inside a transaction holding a per-key advisory lock, and the workspace
 * the key was left on is kept in `upstream_key_sessions`, so no replica switches the key while
 * another reads with it, and none switches needlessly. One pooled connection per key is held
 * while a group runs (seconds); PGlite (one process) needs none of this.
 */
import type { Db } from '../db/types';
import type { ClusterKeyLock, KeyHold } from './key-lock';

export interface PostgresKeyLockOptions {
  db: Pick<Db, 'transaction'>;
  /** Names this replica in `upstream_key_sessions.holder`. */
  holder: string;
  /** How often a waiting replica tries the lock again. @default 25 */
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createPostgresKeyLock({ db, holder, pollMs = 25 }: PostgresKeyLockOptions): ClusterKeyLock {
  return {
    hold(keyId) {
      return new Promise<KeyHold>((resolveHold, rejectHold) => {
        let letGo!: (left: { current: number | null; at: number }) => void;
        const released = new Promise<{ current: number | null; at: number }>((resolve) => (letGo = resolve));
        let held = false;
        const transaction = db.transaction(async (tx) => {
          // Try, not wait: a blocking wait would run into the pool's query timeout behind a long group.
          for (;;) {
            const { rows } = await tx.query<{ ok: boolean }>(
              `SELECT pg_try_advisory_xact_lock(hashtext('bison-gateway:key:' || current_schema()), hashtext($1)) AS ok`, [keyId]);
            if (rows[0]?.ok) break;
            await sleep(pollMs);
          }
          const row = (await tx.query<{ workspace_id: number | null; updated_at: Date }>(
            'SELECT workspace_id, updated_at FROM upstream_key_sessions WHERE key_id = $1', [keyId])).rows[0];
          held = true;
          resolveHold({
            current: row?.workspace_id ?? null,
            currentAt: row ? new Date(row.updated_at).getTime() : 0,
            async release(current, at) {
              letGo({ current, at });
              await transaction;
            },
          });
          const left = await released;
          await tx.query(
            `INSERT INTO upstream_key_sessions (key_id, workspace_id, holder, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key_id) DO UPDATE SET workspace_id = EXCLUDED.workspace_id, holder = EXCLUDED.holder, updated_at = EXCLUDED.updated_at`,
            [keyId, left.current, holder, new Date(left.at)],
          );
        });
        transaction.catch((err) => {
          if (!held) rejectHold(err);
        });
      });
    },
  };
}
