/**
 * Webhook delivery to a subscribed URL, on demand or as a stream. Every event first changes the
 * world (see webhook-events.ts), then is POSTed; the secret, when configured, travels in a header
 * or in the query string, as the gateway's receiver accepts.
 */
import type { Clock } from '../clock';
import type { Counters } from './counters';
import { rngFor, weighted } from './random';
import { applyEvent, WEBHOOK_TYPES, type WebhookPayload, type WebhookType } from './webhook-events';
import type { World } from './world';

export interface WebhookSubscription {
  url: string;
  secret?: string;
  /** Header that carries the secret. @default 'X-Webhook-Secret' */
  secretHeader?: string;
  /** When set, the secret goes in this query parameter instead of a header. */
  secretQuery?: string;
}

export interface WebhookDelivery {
  payload: WebhookPayload;
  /** HTTP status from the receiver, or null when nothing was subscribed or it failed. */
  status: number | null;
  error?: string;
}

export interface StreamOptions {
  perSecond: number;
  /** Types to draw from; default a realistic mix dominated by `email_sent`. */
  types?: WebhookType[];
  /** Default: every workspace that is sending. */
  workspaceIds?: number[];
}

const MIX: Array<[WebhookType, number]> = [
  ['email_sent', 80], ['lead_first_contacted', 5], ['lead_replied', 5], ['lead_interested', 2], ['email_bounced', 3],
  ['lead_unsubscribed', 1], ['untracked_reply_received', 1], ['email_account_disconnected', 1], ['email_account_reconnected', 1],
];

export class WebhookEmitter {
  private subscription: WebhookSubscription | null = null;
  private stream: NodeJS.Timeout | null = null;
  private readonly rand: () => number;

  constructor(private readonly world: World, private readonly clock: Clock, private readonly counters: Counters, seed: string,
    private readonly instanceUrl: () => string) {
    this.rand = rngFor(seed, 'webhooks');
  }

  get subscribed(): WebhookSubscription | null {
    return this.subscription;
  }

  subscribe(sub: WebhookSubscription | null): void {
    if (sub) new URL(sub.url); // throws a clear TypeError on a bad URL
    this.subscription = sub;
  }

  /** Applies and delivers `count` events of one type to one workspace (default: a random sending one). */
  async emit(type: string, opts: { workspaceId?: number; count?: number } = {}): Promise<WebhookDelivery[]> {
    const normalised = type.trim().toLowerCase() as WebhookType;
    if (!WEBHOOK_TYPES.includes(normalised)) throw new Error(`simulator webhook: unknown type "${type}" (known: ${WEBHOOK_TYPES.join(', ')})`);
    const out: WebhookDelivery[] = [];
    for (let i = 0; i < (opts.count ?? 1); i++) {
      const ws = opts.workspaceId ?? this.randomWorkspace();
      out.push(await this.deliver(applyEvent(this.world, normalised, ws, this.rand, this.instanceUrl(), this.clock.now())));
    }
    return out;
  }

  startStream(opts: StreamOptions): void {
    if (!(opts.perSecond > 0)) throw new Error(`simulator webhook stream: perSecond wants a number > 0, got ${opts.perSecond}`);
    this.stopStream();
    const tickMs = Math.max(20, 1000 / opts.perSecond);
    let owed = 0;
    this.stream = setInterval(() => {
      owed += (opts.perSecond * tickMs) / 1000;
      for (; owed >= 1; owed--) {
        const type = opts.types?.length ? opts.types[Math.floor(this.rand() * opts.types.length)] : weighted(this.rand, MIX);
        const ws = opts.workspaceIds?.length ? opts.workspaceIds[Math.floor(this.rand() * opts.workspaceIds.length)] : this.randomWorkspace();
        if (!this.world.workspace(ws)) continue; // deleted since the stream started
        void this.deliver(applyEvent(this.world, type, ws, this.rand, this.instanceUrl(), this.clock.now()));
      }
    }, tickMs);
    this.stream.unref();
  }

  stopStream(): void {
    if (this.stream) clearInterval(this.stream);
    this.stream = null;
  }

  get streaming(): boolean {
    return this.stream !== null;
  }

  private randomWorkspace(): number {
    const sending = this.world.workspaces.filter((w) => this.world.profile(w.id).activity === 'active');
    const pool = sending.length ? sending : this.world.workspaces;
    return pool[Math.floor(this.rand() * pool.length)].id;
  }

  private async deliver(payload: WebhookPayload): Promise<WebhookDelivery> {
    const sub = this.subscription;
    if (!sub) return { payload, status: null };
    const url = new URL(sub.url);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'EmailBison-Webhooks/1.0' };
    if (sub.secret && sub.secretQuery) url.searchParams.set(sub.secretQuery, sub.secret);
    else if (sub.secret) headers[sub.secretHeader ?? 'X-Webhook-Secret'] = sub.secret;
    try {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(payload), signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      this.counters.webhook(res.ok);
      return { payload, status: res.status };
    } catch (err) {
      this.counters.webhook(false);
      return { payload, status: null, error: err instanceof Error ? err.message : String(err) };
    }
  }
}
