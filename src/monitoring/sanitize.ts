/**
 * Checks an observation before it is buffered. A malformed one (a bug in a caller) is refused at
 * the door: once buffered it would fail its batch on every retry and hold back every row behind it.
 */
import type { CacheStateChange, UpstreamAttempt, ValidationIssue } from './events';

const CACHE_STATUSES = new Set(['fresh', 'stale', 'error', 'updating']);
const SEVERITIES = new Set(['info', 'warning', 'error', 'critical']);

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isIntOrNull = (v: unknown) => v === null || (isNumber(v) && Number.isInteger(v));

export function badAttempt(a: UpstreamAttempt): string | null {
  if (!a || typeof a !== 'object') return 'not an object';
  if (!isText(a.endpoint) || !isText(a.method) || !isText(a.api) || !isText(a.triggeredBy)) return 'api, endpoint, method and triggeredBy must be text';
  if (!isNumber(a.at) || !isNumber(a.latencyMs) || !isNumber(a.attempt)) return 'at, latencyMs and attempt must be numbers';
  if (!isIntOrNull(a.workspaceId) || !isIntOrNull(a.statusCode)) return 'workspaceId and statusCode must be integers or null';
  return null;
}

export function badCacheState(c: CacheStateChange): string | null {
  if (!c || typeof c !== 'object') return 'not an object';
  if (!isText(c.key) || !isText(c.resource)) return 'key and resource must be text';
  if (!CACHE_STATUSES.has(c.status)) return `status must be fresh, stale, error or updating, got ${JSON.stringify(c.status)}`;
  if (!isIntOrNull(c.workspaceId) || !isNumber(c.version)) return 'workspaceId must be an integer or null and version a number';
  return null;
}

export function badIssue(v: ValidationIssue): string | null {
  if (!v || typeof v !== 'object') return 'not an object';
  if (!isText(v.source) || !isText(v.errorType) || typeof v.message !== 'string') return 'source, errorType and message must be text';
  if (!SEVERITIES.has(v.severity)) return `severity must be info, warning, error or critical, got ${JSON.stringify(v.severity)}`;
  if (!isIntOrNull(v.workspaceId)) return 'workspaceId must be an integer or null';
  return null;
}

/**
 * Postgres classes 22 (data exception) and 23 (integrity constraint) mean THIS batch can never be
 * written, unlike a lost connection: the batch is dropped (and counted) instead of retried forever.
 */
export function isPoisonBatchError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
