/**
 * `POST /webhooks/email-bison`: Email Bison's event receiver. Email Bison signs nothing, so the
 * shared `WEBHOOK_SECRET` must come in the `x-webhook-secret` header or the `secret` query
 * parameter. A webhook can only mark one workspace's entries stale (the cache then refreshes them,
 * debounced); it never writes data. Unknown event types are accepted and ignored.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { MAILBOX_EVENTS, STATS_EVENTS, webhookSchema } from '../../sources/email-bison/schemas';
import type { ResourceKind } from '../../sources/resources';

export const WEBHOOK_PATH = '/webhooks/email-bison';
const MAX_BODY_BYTES = 256 * 1024;

export interface WebhookTarget {
  /** Resolves with how many entries were marked. */
  markStale(filter: { workspaceId: number; kinds: ResourceKind[] }): Promise<number>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function json(fetchAPI: { Response: typeof Response }, status: number, body: unknown): Response {
  return new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** The body as text, or null once it passes `limit` bytes (stops reading there: no unbounded buffering). */
async function readLimited(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Which cached resources an event makes stale. */
export function kindsForEvent(type: string): ResourceKind[] {
  if (STATS_EVENTS.has(type)) return ['stats'];
  if (MAILBOX_EVENTS.has(type)) return ['sender-emails'];
  return [];
}

export function useEmailBisonWebhooks(options: { secret: string | null; target: WebhookTarget; onEvent?: (type: string, workspaceId: number) => void }): Plugin {
  const secretDigest = options.secret ? digest(options.secret) : null;
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== WEBHOOK_PATH) return;
      if (request.method !== 'POST') return endResponse(json(fetchAPI, 405, { error: 'use POST' }));
      if (!secretDigest) return endResponse(json(fetchAPI, 503, { error: 'webhooks are disabled: set WEBHOOK_SECRET' }));
      const given = request.headers.get('x-webhook-secret') ?? url.searchParams.get('secret') ?? '';
      if (!timingSafeEqual(digest(given), secretDigest)) return endResponse(json(fetchAPI, 401, { error: 'missing or wrong webhook secret' }));

      const declared = Number(request.headers.get('content-length') ?? 0);
      if (declared > MAX_BODY_BYTES) return endResponse(json(fetchAPI, 413, { error: `body over ${MAX_BODY_BYTES} bytes` }));
      const text = await readLimited(request, MAX_BODY_BYTES);
      if (text === null) return endResponse(json(fetchAPI, 413, { error: `body over ${MAX_BODY_BYTES} bytes` }));
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return endResponse(json(fetchAPI, 400, { error: 'body is not JSON' }));
      }
      const parsed = webhookSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return endResponse(json(fetchAPI, 422, { error: `invalid webhook: ${issue.path.join('.') || 'body'}: ${issue.message}` }));
      }
      const { type, workspace_id: workspaceId } = parsed.data.event;
      const kinds = kindsForEvent(type);
      let marked = 0;
      if (kinds.length) {
        // Answer only once the entries are marked, so a read right after the 202 sees them stale;
        // if the cache cannot be reached, a 503 makes Email Bison deliver the event again.
        try {
          marked = await options.target.markStale({ workspaceId, kinds });
        } catch {
          return endResponse(json(fetchAPI, 503, { error: 'the cache is unreachable; deliver the event again later' }));
        }
      }
      options.onEvent?.(type, workspaceId);
      return endResponse(json(fetchAPI, 202, { accepted: true, type, workspaceId, affects: kinds, marked }));
    },
  };
}
