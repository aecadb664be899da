/**
 * The monitoring recorder: a SourceObserver that buffers what the sources report and writes it to
 * Postgres in batches, off every request's path. Observing is synchronous and never throws; when
 * the database is slow or down rows wait in a bounded buffer (oldest attempts dropped and counted
 * when full) and flushes retry with exponential backoff, one at a time.
 *
 * Its heartbeat is this replica's row in gateway_runtime_state (open breakers, backlog): a row
 * rewritten in the last 2 minutes is a live replica (the health view, incidents, the live count of
 * ../sources/replicas.ts). Closing removes the row, so a cleanly stopped replica stops counting,
 * and its breakers stop being open, at once; a crashed one ages out after the 2 minutes.
 */
import { systemClock, type Clock } from '../clock';
import type { Db } from '../sources/db/types';
import { MonitoringBuffer, type Batch } from './buffer';
import type { SourceObserver } from './events';
import type { Logger } from './logger';
import type { GatewayMetrics } from './metrics';
import { badAttempt, badCacheState, badIssue, isPoisonBatchError } from './sanitize';
import { failSpan, traceQueries, tracingOff, type GatewayTracing } from './tracing';
import { insertAttempts, removeRuntimeState, upsertCacheStates, upsertIssues, upsertRuntimeState } from './writes';

export interface RecorderOptions {
  /** Names this replica's row in gateway_runtime_state. */
  instanceId: string;
  /** @default 1000 */
  flushIntervalMs?: number;
  /** Rows per INSERT statement. @default 500 */
  maxBatch?: number;
  /** Rows held while the database is unreachable. @default 10_000 */
  maxBuffer?: number;
  /** Longest wait between retries of a failing flush. @default 30_000 */
  maxBackoffMs?: number;
  /** Runtime state is rewritten at least this often, so the health view sees the replica alive. @default 30_000 */
  heartbeatMs?: number;
  clock?: Clock;
  logger?: Pick<Logger, 'warn' | 'info'>;
  metrics?: Pick<GatewayMetrics, 'monitoringRowsWritten' | 'monitoringRowsDropped'>;
  /** A `monitoring flush` trace per batch written, a span per statement. @default tracingOff */
  tracing?: GatewayTracing;
}

export interface RecorderStats {
  /** Rows not yet written. */
  pending: number;
  written: number;
  dropped: number;
  lastError: string | null;
}

export interface MonitoringRecorder extends SourceObserver {
  /** Writes everything buffered now. Resolves (never rejects) once tried; see stats().lastError. */
  flush(): Promise<void>;
  stats(): RecorderStats;
  /** Stops the timer, makes a last flush and removes this replica's runtime state row (it is no longer live). */
  close(): Promise<void>;
}

export function createRecorder(untracedDb: Pick<Db, 'query'>, options: RecorderOptions): MonitoringRecorder {
  const { instanceId, flushIntervalMs = 1000, maxBatch = 500, maxBuffer = 10_000, maxBackoffMs = 30_000 } = options;
  const { heartbeatMs = 30_000, clock = systemClock, logger, metrics, tracing = tracingOff } = options;
  const db = tracing.enabled ? traceQueries(untracedDb, tracing) : untracedDb;
  const buffer = new MonitoringBuffer(maxBuffer, (rows) => metrics?.monitoringRowsDropped.inc(rows));
  const openBreakers = new Set<string>();
  let written = 0;
  let lastError: string | null = null;
  let failures = 0;
  let retryAt = 0;
  let lastState: string | null = null;
  let lastStateAt = -Infinity;
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  let closed = false;

  const guard = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => {
    try {
      fn(...args);
    } catch (err) {
      logger?.warn({ err }, 'monitoring: could not record an observation');
    }
  };

  /** Refuses a malformed observation (logged, counted as dropped) before it can poison a batch. */
  function accept<T>(value: T, problem: (v: T) => string | null, what: string): boolean {
    const why = problem(value);
    if (why === null) return true;
    buffer.dropUnwritable(1);
    logger?.warn({ why }, `monitoring: ignored a malformed ${what}`);
    return false;
  }

  /** Writes `rest[part]` in chunks of maxBatch, removing each chunk once it is written. */
  async function writePart<K extends keyof Batch>(rest: Batch, part: K, write: (chunk: Batch[K]) => Promise<void>): Promise<void> {
    while (rest[part].length > 0) {
      const chunk = rest[part].slice(0, maxBatch) as Batch[K];
      try {
        await write(chunk);
        countWritten(chunk.length);
      } catch (err) {
        if (!isPoisonBatchError(err)) throw err;
        buffer.dropUnwritable(chunk.length);
        logger?.warn({ err: (err as Error).message, rows: chunk.length, part }, 'monitoring: the database refused a batch; dropped it');
      }
      rest[part] = rest[part].slice(chunk.length) as Batch[K];
    }
  }

  async function writeBatch(batch: Batch): Promise<void> {
    const rest: Batch = { ...batch };
    try {
      await writePart(rest, 'attempts', (chunk) => insertAttempts(db, chunk));
      await writePart(rest, 'cacheStates', (chunk) => upsertCacheStates(db, chunk));
      await writePart(rest, 'issues', (chunk) => upsertIssues(db, chunk));
    } finally {
      buffer.restore(rest);
    }
  }

  function countWritten(rows: number): void {
    written += rows;
    metrics?.monitoringRowsWritten.inc(rows);
  }

  async function writeRuntimeState(): Promise<void> {
    if (closed) return; // a flush after close must not bring the replica back to life
    const state = { instanceId, openBreakerKeys: [...openBreakers].sort(), backlog: buffer.pending, dropped: buffer.dropped };
    const fingerprint = JSON.stringify(state);
    if (fingerprint === lastState && clock.now() - lastStateAt < heartbeatMs) return;
    await upsertRuntimeState(db, state);
    lastState = fingerprint;
    lastStateAt = clock.now();
  }

  /** A flush that has rows to write is a trace of its own: it serves no request. */
  function cycle(): Promise<void> {
    const batch = buffer.take();
    const rows = batch.attempts.length + batch.cacheStates.length + batch.issues.length;
    if (!tracing.enabled || rows === 0) return writeCycle(batch);
    return tracing.span('monitoring flush', { root: true, attributes: { 'bison.monitoring.rows': rows } }, async (span) => {
      await writeCycle(batch);
      if (lastError !== null) failSpan(span, new Error(lastError), 'write_failed');
    });
  }

  async function writeCycle(batch: Batch): Promise<void> {
    try {
      await writeBatch(batch);
      await writeRuntimeState();
      if (failures > 0) logger?.info({ pending: buffer.pending, dropped: buffer.dropped }, 'monitoring: database writes recovered');
      failures = 0;
      lastError = null;
    } catch (err) {
      failures++;
      lastError = err instanceof Error ? err.message : String(err);
      retryAt = clock.now() + Math.min(maxBackoffMs, flushIntervalMs * 2 ** (failures - 1));
      if (failures === 1 || failures % 10 === 0) {
        logger?.warn({ err: lastError, failures, pending: buffer.pending, dropped: buffer.dropped }, 'monitoring: database write failed, rows kept for retry');
      }
    }
  }

  function flush(): Promise<void> {
    if (!running) {
      running = cycle().finally(() => {
        running = null;
      });
      return running;
    }
    // One flush in flight; callers during it share one follow-up, which sees their rows.
    queued ??= running.then(() => {
      queued = null;
      return flush();
    });
    return queued;
  }

  const timer = setInterval(() => {
    if (running || clock.now() < retryAt) return;
    void flush();
  }, flushIntervalMs);
  timer.unref?.();

  return {
    attempt: guard((a) => accept(a, badAttempt, 'upstream attempt') && buffer.addAttempt(a)),
    cacheState: guard((c) => accept(c, badCacheState, 'cache state') && buffer.addCacheState(c, clock.now())),
    validation: guard((v) => accept(v, badIssue, 'validation issue') && buffer.addIssue(v, clock.now())),
    cacheRead() {},
    breaker: guard((b) => {
      const key = `${b.workspaceId ?? '-'}:${b.endpoint}`;
      if (b.state === 'open') openBreakers.add(key);
      else openBreakers.delete(key);
    }),
    flush,
    stats: () => ({ pending: buffer.pending, written, dropped: buffer.dropped, lastError }),
    async close() {
      clearInterval(timer);
      await flush();
      // Work that ended as the gateway stopped (a refresh whose queued calls the scheduler just
      // refused) reports in callbacks that run after that flush: let them run, and write what they
      // added, while writes succeed.
      for (let round = 0; round < 5; round++) {
        await new Promise((resolve) => setImmediate(resolve));
        if (buffer.pending === 0 || failures > 0) break;
        await flush();
      }
      closed = true;
      try {
        await removeRuntimeState(db, instanceId);
      } catch (err) {
        logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'monitoring: could not remove this replica\'s runtime state; it counts as live for 2 more minutes');
      }
    },
  };
}
