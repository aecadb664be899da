/**
 * Reports a payload that failed its schema: the first few issues (where, what was expected, what
 * kind of value was found), never the payload or the offending values themselves (they may hold
 * tokens or personal data).
 */
import type { z } from 'zod';
import type { SourceObserver } from '../../monitoring/events';
import { SourceError } from '../errors';

const REPORTED_ISSUES = 3;

export function invalidPayload(
  observer: SourceObserver,
  where: { endpoint: string; workspaceId: number | null },
  payload: unknown,
  error: z.ZodError,
): SourceError {
  const issues = error.issues.slice(0, REPORTED_ISSUES);
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || null;
    observer.validation({
      source: where.endpoint,
      workspaceId: where.workspaceId,
      errorType: 'schema',
      field,
      expected: 'expected' in issue && typeof issue.expected === 'string' ? issue.expected : issue.code,
      actual: kindAt(payload, issue.path),
      message: `${field ?? 'payload'}: ${issue.message}`,
      details: { code: issue.code, issues: error.issues.length },
      severity: 'error',
    });
  }
  const first = issues[0];
  const field = first ? first.path.map(String).join('.') || 'payload' : 'payload';
  const scope = where.workspaceId === null ? '' : ` (workspace ${where.workspaceId})`;
  return new SourceError(
    'UPSTREAM_INVALID_PAYLOAD',
    `Email Bison ${where.endpoint}${scope} sent a payload that fails its schema at ${field} (${error.issues.length} issue(s))`,
    false,
    where.workspaceId,
    200,
  );
}

/** A 2xx whose body is not JSON at all. */
export function notJson(observer: SourceObserver, where: { endpoint: string; workspaceId: number | null }, bodyKind: string): SourceError {
  observer.validation({
    source: where.endpoint,
    workspaceId: where.workspaceId,
    errorType: 'not_json',
    field: null,
    expected: 'JSON',
    actual: bodyKind,
    message: `expected a JSON body, got ${bodyKind}`,
    severity: 'error',
  });
  const scope = where.workspaceId === null ? '' : ` (workspace ${where.workspaceId})`;
  return new SourceError('UPSTREAM_INVALID_PAYLOAD', `Email Bison ${where.endpoint}${scope} answered with ${bodyKind} instead of JSON`, false, where.workspaceId, 200);
}

/** The kind of value at `path` ("string", "null", "missing", "array"...), never the value. */
function kindAt(payload: unknown, path: readonly PropertyKey[]): string {
  let value: unknown = payload;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return 'missing';
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
