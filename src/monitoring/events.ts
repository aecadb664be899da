/**
 * What the sources report to monitoring. Every method is synchronous and returns nothing: an
 * implementation buffers and writes later, so observing never blocks or fails a request.
 */
export type TriggeredBy = 'request' | 'background' | 'refresh' | 'prime' | 'webhook';

/** One HTTP attempt against Email Bison (each retry is its own attempt). */
export interface UpstreamAttempt {
  api: 'email_bison';
  /** Route template, e.g. `/api/workspaces/v1.1/stats` (never a URL with a key or query). */
  endpoint: string;
  method: string;
  workspaceId: number | null;
  /** HTTP status, or null when no response arrived (timeout, reset). */
  statusCode: number | null;
  latencyMs: number;
  success: boolean;
  /** `timeout` | `network` | `http_5xx` | `http_429` | `http_4xx` | `validation` | `circuit_open` | null */
  errorType: string | null;
  /** 1 for the first try, 2.. for retries. */
  attempt: number;
  triggeredBy: TriggeredBy;
  /** Epoch ms when the attempt started. */
  at: number;
}

export type CacheStatus = 'fresh' | 'stale' | 'error' | 'updating';

/** A cache entry changed state (one `data_cache_metadata` row per key, upserted). */
export interface CacheStateChange {
  key: string;
  workspaceId: number | null;
  /** Resource kind, e.g. `stats`, `sender-emails`, `sending-schedules`, `workspaces`. */
  resource: string;
  status: CacheStatus;
  lastUpdated: number | null;
  fetchDurationMs: number | null;
  recordCount: number | null;
  sizeBytes: number | null;
  errorMessage: string | null;
  version: number;
}

export type Severity = 'info' | 'warning' | 'error' | 'critical';

/** A payload that failed its schema, or a dashboard rule that flagged a row. */
export interface ValidationIssue {
  /** Where it was found: an endpoint (`/api/sender-emails`) or a dashboard (`kpi`). */
  source: string;
  workspaceId: number | null;
  errorType: string;
  field: string | null;
  expected: string | null;
  actual: string | null;
  message: string;
  details?: unknown;
  severity: Severity;
}

/** How a cache read was answered (for hit/miss metrics). */
export type CacheReadOutcome = 'hit' | 'miss' | 'stale' | 'stale_if_error' | 'error';

export interface SourceObserver {
  attempt(a: UpstreamAttempt): void;
  cacheState(c: CacheStateChange): void;
  validation(v: ValidationIssue): void;
  cacheRead(resource: string, outcome: CacheReadOutcome): void;
  /** A circuit breaker changed state. */
  breaker(b: { workspaceId: number | null; endpoint: string; state: 'closed' | 'open' | 'half_open'; at: number }): void;
}

/** Observes nothing: for unit tests of a single layer. */
export const nullObserver: SourceObserver = { attempt() {}, cacheState() {}, validation() {}, cacheRead() {}, breaker() {} };
