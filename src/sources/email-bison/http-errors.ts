/**
 * Turns an Email Bison HTTP failure into a SourceError with a message safe to show: the route
 * template, the workspace and the status, never the key, the query or the upstream body itself.
 */
import { SourceError } from '../errors';

export interface FailedResponse {
  status: number;
  headers: Headers;
  body: string;
  endpoint: string;
  workspaceId: number | null;
}

/** `errorType` as monitoring records it (see UpstreamAttempt). */
export function errorTypeOf(err: unknown): string {
  if (!(err instanceof SourceError)) return 'aborted';
  switch (err.code) {
    case 'UPSTREAM_TIMEOUT': return 'timeout';
    case 'UPSTREAM_NETWORK': return 'network';
    case 'UPSTREAM_5XX': return 'http_5xx';
    case 'UPSTREAM_RATE_LIMITED': return 'http_429';
    case 'UPSTREAM_INVALID_PAYLOAD': return 'validation';
    case 'CIRCUIT_OPEN': return 'circuit_open';
    default: return 'http_4xx';
  }
}

export function errorForStatus(r: FailedResponse): SourceError {
  const where = `Email Bison ${r.endpoint}${r.workspaceId === null ? '' : ` (workspace ${r.workspaceId})`}`;
  const make = (code: ConstructorParameters<typeof SourceError>[0], text: string, retryable: boolean, retryAfter: number | null = null) =>
    new SourceError(code, `${where} answered ${r.status}: ${text}`, retryable, r.workspaceId, r.status, retryAfter);

  if (r.status === 429) {
    const retryAfter = parseRetryAfter(r.headers.get('retry-after'));
    const wait = retryAfter === null ? '' : `; asked to wait ${retryAfter} s`;
    return make('UPSTREAM_RATE_LIMITED', `rate limited${wait}`, true, retryAfter);
  }
  if (r.status < 400) return make('UPSTREAM_4XX', 'a redirect, not followed (the key is never sent to another address)', false);
  if (r.status >= 500) return make('UPSTREAM_5XX', `server error (${describeBody(r)})`, true);
  if (r.status === 401) return make('UPSTREAM_UNAUTHORIZED', 'the API key was refused (missing, revoked or mistyped)', false);
  if (r.status === 403) return make('UPSTREAM_FORBIDDEN', 'the API key lacks the rights for this call', false);
  if (r.status === 404) return make('UPSTREAM_NOT_FOUND', 'not found (unknown workspace or route)', false);
  return make('UPSTREAM_4XX', `request refused${invalidFields(r.body)}`, false);
}

/** What kind of body came back, without repeating it. */
export function describeBody(r: { headers: Headers; body: string }): string {
  const type = r.headers.get('content-type') ?? '';
  const start = r.body.trimStart().slice(0, 15).toLowerCase();
  if (type.includes('html') || start.startsWith('<!doctype') || start.startsWith('<html')) return 'HTML error page';
  if (r.body.trim() === '') return 'empty body';
  try {
    JSON.parse(r.body);
    return 'JSON body';
  } catch {
    return 'non-JSON body';
  }
}

/** Names of the fields a 422 complains about (Laravel `errors` keys), never their messages. */
function invalidFields(body: string): string {
  try {
    const errors = (JSON.parse(body) as { errors?: unknown }).errors;
    if (errors && typeof errors === 'object') {
      const fields = Object.keys(errors).filter((k) => /^[\w.\[\]-]{1,64}$/.test(k)).slice(0, 5);
      if (fields.length) return ` (invalid: ${fields.join(', ')})`;
    }
  } catch {
    // Not JSON: nothing to add.
  }
  return '';
}

/** `Retry-After` is seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
