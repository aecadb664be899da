/**
 * Errors the sources raise. Each carries a stable `code` (surfaced to clients as
 * `SourceError.code`), whether trying again may help, and a message safe to show: never a key,
 * never a URL with credentials, never an upstream body.
 */
export type SourceErrorCode =
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_NETWORK'
  | 'UPSTREAM_5XX'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_UNAUTHORIZED'
  | 'UPSTREAM_FORBIDDEN'
  | 'UPSTREAM_NOT_FOUND'
  | 'UPSTREAM_4XX'
  | 'UPSTREAM_INVALID_PAYLOAD'
  | 'CIRCUIT_OPEN'
  | 'NO_API_KEY'
  | 'REGISTRY_UNAVAILABLE'
  | 'STALE_TOO_OLD';

export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly workspaceId: number | null = null,
    /** HTTP status when one arrived. */
    readonly status: number | null = null,
    /** Seconds the upstream asked us to wait (429 Retry-After). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

/** The shape clients see (`SourceError` in the GraphQL contract). */
export interface SourceErrorInfo {
  workspaceId: number | null;
  code: string;
  message: string;
  retryable: boolean;
}

export function toSourceErrorInfo(err: unknown, workspaceId: number | null): SourceErrorInfo {
  if (err instanceof SourceError) {
    return { workspaceId: err.workspaceId ?? workspaceId, code: err.code, message: err.message, retryable: err.retryable };
  }
  return { workspaceId, code: 'INTERNAL', message: 'internal error while loading this workspace', retryable: true };
}
