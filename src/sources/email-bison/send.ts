/**
 * One HTTP request to Email Bison: bearer key, per-attempt timeout, status mapping, JSON parsing
 * and schema validation. No retries, queueing or breakers here (see client.ts).
 */
import { request } from 'undici';
import type { z } from 'zod';
import type { SourceObserver } from '../../monitoring/events';
import { SourceError } from '../errors';
import { describeBody, errorForStatus, type ResponseHeaders } from './http-errors';
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
  let status: number;
  let headers: ResponseHeaders;
  let text: string;
  try {
    // undici's request(), not fetch(): the same client Node's fetch is built on, without the WHATWG
    // Request/Headers/streams layers, at about half the CPU per call. A cold dashboard sends 156
    // calls at once, so that cost is what decides how soon the last one leaves. It follows no
    // redirect (one would carry our key to wherever it points).
    const response = await request(req.url, {
      method: req.method,
      headers: {
        ...opts.traceHeaders,
        authorization: `Bearer ${opts.key}`,
        accept: 'application/json',
        ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal,
    });
    status = response.statusCode;
    headers = headersOf(response.headers);
    text = await response.body.text();
  } catch (err) {
    throw transportError(err, timeout, opts, req);
  }

  if (status < 200 || status >= 300) {
    throw errorForStatus({ status, headers, body: text, ...where });
  }
  if (req.ignoreBody) return { status, value: undefined as T };
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw notJson(opts.observer, where, describeBody({ headers, body: text }));
  }
  const parsed = req.schema.safeParse(payload);
  if (!parsed.success) throw invalidPayload(opts.observer, where, payload, parsed.error);
  return { status, value: parsed.data };
}

function headersOf(raw: Record<string, string | string[] | undefined>): ResponseHeaders {
  return {
    get(name) {
      const value = raw[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

function transportError(err: unknown, timeout: AbortSignal, opts: SendOptions, req: Request<unknown>): unknown {
  if (opts.signal?.aborted) return opts.signal.reason;
  const where = `Email Bison ${req.endpoint}${req.workspaceId === null ? '' : ` (workspace ${req.workspaceId})`}`;
  if (timeout.aborted) {
    return new SourceError('UPSTREAM_TIMEOUT', `${where} did not answer within ${opts.timeoutMs} ms`, true, req.workspaceId);
  }
  // The reason (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET...) is the error's code or its cause's; its message holds no secret.
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const cause = typeof e?.code === 'string' ? e.code : e?.cause?.code;
  const detail = typeof cause === 'string' && /^[A-Z_]{3,40}$/.test(cause) ? ` (${cause})` : '';
  return new SourceError('UPSTREAM_NETWORK', `${where} could not be reached${detail}`, true, req.workspaceId);
}
