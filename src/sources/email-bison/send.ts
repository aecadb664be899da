/**
 * One HTTP request to Email Bison: bearer key, per-attempt timeout, status mapping, JSON parsing
 * and schema validation. No retries, queueing or breakers here (see client.ts).
 */
import type { z } from 'zod';
import type { SourceObserver } from '../../monitoring/events';
import { SourceError } from '../errors';
import { describeBody, errorForStatus } from './http-errors';
import { invalidPayload, notJson } from './payload-issues';

export interface Request<T> {
  method: 'GET' | 'POST';
  url: URL;
  /** Route template for reports and messages, e.g. `/api/sender-emails`. */
  endpoint: string;
  workspaceId: number | null;
  body?: unknown;
  schema: z.ZodType<T>;
  /** Any 2xx will do; the body is not parsed (e.g. switch-workspace). */
  ignoreBody?: boolean;
}

export interface SendOptions {
  key: string;
  timeoutMs: number;
  /** The caller giving up (not a failure of the upstream). */
  signal?: AbortSignal;
  observer: SourceObserver;
  /** W3C trace context of the attempt (`traceparent`), when tracing is on. */
  traceHeaders?: Record<string, string>;
}

/** Resolves with the validated payload, or throws a SourceError (or the caller's abort reason). */
export async function sendOnce<T>(req: Request<T>, opts: SendOptions): Promise<{ status: number; value: T }> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const where = { endpoint: req.endpoint, workspaceId: req.workspaceId };
  let response: Response;
  let text: string;
  try {
    response = await fetch(req.url, {
      method: req.method,
      headers: {
        ...opts.traceHeaders,
        authorization: `Bearer ${opts.key}`,
        accept: 'application/json',
        ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal,
      redirect: 'manual', // a redirect would carry our key to wherever it points
    });
    text = await response.text();
  } catch (err) {
    throw transportError(err, timeout, opts, req);
  }

  if (response.status < 200 || response.status >= 300) {
    throw errorForStatus({ status: response.status, headers: response.headers, body: text, ...where });
  }
  if (req.ignoreBody) return { status: response.status, value: undefined as T };
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw notJson(opts.observer, where, describeBody({ headers: response.headers, body: text }));
  }
  const parsed = req.schema.safeParse(payload);
  if (!parsed.success) throw invalidPayload(opts.observer, where, payload, parsed.error);
  return { status: response.status, value: parsed.data };
}

function transportError(err: unknown, timeout: AbortSignal, opts: SendOptions, req: Request<unknown>): unknown {
  if (opts.signal?.aborted) return opts.signal.reason;
  const where = `Email Bison ${req.endpoint}${req.workspaceId === null ? '' : ` (workspace ${req.workspaceId})`}`;
  if (timeout.aborted) {
    return new SourceError('UPSTREAM_TIMEOUT', `${where} did not answer within ${opts.timeoutMs} ms`, true, req.workspaceId);
  }
  // undici puts the reason (ECONNREFUSED, ECONNRESET...) in `cause`; its message holds no secret.
  const cause = (err as { cause?: { code?: unknown } })?.cause?.code;
  const detail = typeof cause === 'string' && /^[A-Z_]{3,40}$/.test(cause) ? ` (${cause})` : '';
  return new SourceError('UPSTREAM_NETWORK', `${where} could not be reached${detail}`, true, req.workspaceId);
}
