/**
 * Helpers for the abuse suite: a recording client (every response body kept, to search for
 * secrets at the end), a log sink for pino, an SSE reader, and checks that an answer reveals
 * nothing but the workspace it may see.
 */
import type { DestinationStream } from 'pino';
import type { TestGateway } from '../support/gateway';

export const ENDPOINT = 'http://gateway.test/graphql';

export interface Answer {
  status: number;
  text: string;
  body: any;
}

/** Every response text the suite saw, and every log line the gateway wrote. */
export class Evidence {
  readonly responses: string[] = [];
  readonly logs: string[] = [];
  readonly logSink: DestinationStream = { write: (line: string) => void this.logs.push(line) };

  /** Which of the given secrets appear anywhere in responses or logs (should be none). */
  leaks(secrets: string[]): string[] {
    const haystack = [...this.responses, ...this.logs].join('\n');
    return secrets.filter((s) => s.length >= 8 && haystack.includes(s));
  }
}

export function client(t: TestGateway, evidence: Evidence) {
  async function send(init: RequestInit & { headers?: Record<string, string> }, url = ENDPOINT): Promise<Answer> {
    const res = await t.gateway.fetch(url, init);
    const text = await res.text();
    evidence.responses.push(text);
    let body: any = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: res.status, text, body };
  }
  return {
    send,
    /** POST a GraphQL request with a bearer token (null: none). */
    gql(token: string | null, query: string, variables?: Record<string, unknown>): Promise<Answer> {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      return send({ method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    },
  };
}

/** The codes of an answer's GraphQL errors. */
export const codes = (a: Answer): unknown[] => (a.body?.errors ?? []).map((e: any) => e.extensions?.code);

/** Every `workspaceId` value anywhere in a JSON value. */
export function workspaceIdsIn(value: unknown, out = new Set<unknown>()): Set<unknown> {
  if (Array.isArray(value)) value.forEach((v) => workspaceIdsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'workspaceId' && v !== null) out.add(v);
      else workspaceIdsIn(v, out);
    }
  }
  return out;
}

/** Reads Server-Sent Events (`event: next` / `data: ...`) of one open subscription. */
export function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    /** The next `next` event's payload; rejects after `guardMs` so a broken test cannot hang. */
    async next(guardMs = 10_000): Promise<any> {
      const deadline = Date.now() + guardMs;
      for (;;) {
        const split = buffer.indexOf('\n\n');
        if (split >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          if (/^event: next$/m.test(block) && data) return JSON.parse(data);
          if (/^event: complete$/m.test(block)) throw new Error('subscription completed');
          continue;
        }
        const timeLeft = deadline - Date.now();
        if (timeLeft <= 0) throw new Error('no SSE event in time');
        let timer: NodeJS.Timeout | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no SSE event in time')), timeLeft))),
        ]).finally(() => clearTimeout(timer));
        if (chunk.done) throw new Error('stream ended');
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

/** Error text that would reveal internals: stacks, SQL, module paths, upstream keys or key-bearing URLs. */
export const INTERNALS = /\n\s+at |node_modules|\bSELECT\b|\bINSERT\b|\bUPDATE\b.*\bSET\b|postgres(ql)?:\/\/|\b\d+\|[A-Za-z0-9]{8,}|[?&](api_key|token|key)=/i;
