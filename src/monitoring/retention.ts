/**
 * Retention: monitoring tables are logs, not archives. Old upstream attempts, old resolved
 * validation findings and the runtime rows of replicas long gone are deleted in bounded batches,
 * so one sweep never holds a long lock or a huge transaction.
 */
import { systemClock, type Clock } from '../clock';
import type { Db } from '../sources/db/types';
import type { Logger } from './logger';

export interface RetentionPolicy {
  /** @default 30 */
  healthLogDays?: number;
  /** Resolved validation findings, counted from resolved_at. @default 90 */
  resolvedValidationDays?: number;
  /** Runtime rows of replicas that stopped reporting. @default 7 */
  runtimeStateDays?: number;
  /** Rows per DELETE. @default 5000 */
  batchSize?: number;
}

export interface RetentionResult {
  healthLogs: number;
  validationErrors: number;
  runtimeStates: number;
}

const DAY_MS = 86_400_000;

async function deleteInBatches(db: Pick<Db, 'query'>, table: string, where: string, cutoff: Date, batchSize: number): Promise<number> {
  // ctid-free and portable: delete by primary key chosen in a bounded subquery.
  const sql = `WITH doomed AS (SELECT id FROM ${table} WHERE ${where} LIMIT $2)
               DELETE FROM ${table} WHERE id IN (SELECT id FROM doomed) RETURNING 1`;
  let total = 0;
  for (;;) {
    const { rows } = await db.query(sql, [cutoff.toISOString(), batchSize]);
    total += rows.length;
    if (rows.length < batchSize) return total;
  }
}

export async function runRetentionOnce(db: Pick<Db, 'query'>, now: number | Date, policy: RetentionPolicy = {}): Promise<RetentionResult> {
  const { healthLogDays = 30, resolvedValidationDays = 90, runtimeStateDays = 7, batchSize = 5000 } = policy;
  const t = new Date(now).getTime();
  const healthLogs = await deleteInBatches(db, 'api_health_logs', 'created_at < $1', new Date(t - healthLogDays * DAY_MS), batchSize);
  const validationErrors = await deleteInBatches(
    db, 'data_validation_errors', 'resolved AND resolved_at < $1', new Date(t - resolvedValidationDays * DAY_MS), batchSize,
  );
  const { rows } = await db.query('DELETE FROM gateway_runtime_state WHERE updated_at < $1 RETURNING 1', [new Date(t - runtimeStateDays * DAY_MS).toISOString()]);
  return { healthLogs, validationErrors, runtimeStates: rows.length };
}

export interface RetentionOptions extends RetentionPolicy {
  /** @default 1 hour */
  intervalMs?: number;
  clock?: Clock;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

/** Sweeps now and every `intervalMs`; returns a stop function. A failed sweep is logged and retried next time. */
export function startRetention(db: Pick<Db, 'query'>, { intervalMs = 3_600_000, clock = systemClock, logger, ...policy }: RetentionOptions = {}): () => void {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const result = await runRetentionOnce(db, clock.now(), policy);
      if (result.healthLogs + result.validationErrors + result.runtimeStates > 0) logger?.info(result, 'monitoring retention: old rows deleted');
    } catch (err) {
      logger?.warn({ err: (err as Error).message }, 'monitoring retention failed; will retry');
    } finally {
      running = false;
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
