/**
 * The alert monitor: every `intervalMs` it reads the health view and the monitoring tables, keys
 * what is wrong as incidents by cause (incidents.ts), and posts Slack incoming-webhook messages:
 * one when an incident opens, one when it clears. An incident that comes back within `cooldownMs` of its last alert is
 * held back (flapping) until the cooldown has passed. Sending never throws; failures are logged
 * without the webhook URL (it is a secret) and retried at the next check.
 */
import { systemClock, type Clock } from '../clock';
import type { Db } from '../sources/db/types';
import { readHealth, type HealthReport } from './health';
import { criticalValidationIncidents, healthIncident, upstreamIncidents, type Incident } from './incidents';
import type { Logger } from './logger';

export interface HealthMonitorOptions {
  db: Pick<Db, 'query'>;
  /** @default 60_000 */
  intervalMs?: number;
  /** Slack-compatible incoming webhook; null = alerts are only logged. */
  webhookUrl?: string | null;
  clock?: Clock;
  logger?: Pick<Logger, 'warn' | 'info'>;
  fetch?: typeof fetch;
  /** @default 15 minutes */
  cooldownMs?: number;
  /** @default 10 minutes */
  staleAfterMs?: number;
}

export interface HealthMonitor {
  /** One round: read, compare, alert. Never rejects. Returns the health read (null if unreadable). */
  check(): Promise<HealthReport | null>;
  start(): void;
  stop(): void;
  /** Called when the score or status changes (and on the first reading). Returns an unsubscribe. */
  onHealthChange(listener: (health: HealthReport) => void): () => void;
  /** The last health read. */
  current(): HealthReport | null;
}

interface OpenIncident {
  summary: string;
  /** Came back within the cooldown: not announced (yet), so its recovery is not either. */
  held: boolean;
}

export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const { db, intervalMs = 60_000, webhookUrl = null, clock = systemClock, logger, cooldownMs = 15 * 60_000 } = options;
  const { staleAfterMs = 10 * 60_000, fetch: send = globalThis.fetch } = options;
  const open = new Map<string, OpenIncident>();
  const lastAlertAt = new Map<string, number>();
  const listeners = new Set<(health: HealthReport) => void>();
  let last: HealthReport | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<HealthReport | null> | null = null;
  let lastCauseAt = -Infinity;

  async function post(text: string): Promise<boolean> {
    if (!webhookUrl) {
      logger?.warn({ alert: text }, 'alert (no ALERT_WEBHOOK_URL configured)');
      return true;
    }
    try {
      const body = JSON.stringify({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
      const res = await send(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
      if (res.ok) return true;
      logger?.warn({ status: res.status }, 'alert webhook refused the message; will retry at the next check');
    } catch (err) {
      const message = String((err as Error)?.message ?? err).split(webhookUrl).join('[webhook]');
      logger?.warn({ err: message }, 'alert webhook unreachable; will retry at the next check');
    }
    return false;
  }

  async function reconcile(incidents: Incident[]): Promise<void> {
    const now = clock.now();
    const active = new Map(incidents.map((i) => [i.key, i]));
    for (const [key, incident] of active) {
      const known = open.get(key);
      if (known && !known.held) continue; // the recovery repeats the summary that was announced
      const last = lastAlertAt.get(key);
      if (last !== undefined && now - last < cooldownMs) {
        open.set(key, { summary: incident.summary, held: true });
        continue;
      }
      if (await post(`:rotating_light: *bison-gateway*: ${incident.summary}`)) {
        lastAlertAt.set(key, now);
        open.set(key, { summary: incident.summary, held: false });
      }
    }
    for (const [key, known] of open) {
      if (active.has(key)) continue;
      if (known.held || (await post(`:white_check_mark: *bison-gateway* resolved: ${known.summary}`))) open.delete(key);
    }
  }

  function announce(health: HealthReport): void {
    const changed = !last || last.score !== health.score || last.status !== health.status;
    last = health;
    if (!changed) return;
    for (const listener of listeners) {
      try {
        listener(health);
      } catch (err) {
        logger?.warn({ err: (err as Error).message }, 'health change listener failed');
      }
    }
  }

  async function round(): Promise<HealthReport | null> {
    let health: HealthReport | null = null;
    let incidents: Incident[];
    try {
      health = await readHealth(db);
      const causes = [...(await upstreamIncidents(db, clock.now(), { staleAfterMs })), ...(await criticalValidationIncidents(db))];
      if (causes.length > 0) lastCauseAt = clock.now();
      incidents = [...healthIncident(health, causes, clock.now() - lastCauseAt), ...causes];
    } catch (err) {
      // Keep the other incidents open (we cannot tell whether they cleared) and add this one.
      incidents = [...open.entries()].filter(([, v]) => !v.held).map(([key, v]) => ({ key, summary: v.summary }));
      incidents.push({ key: 'monitoring-database', summary: `cannot read the monitoring database: ${(err as Error).message}` });
    }
    await reconcile(incidents);
    if (health) announce(health);
    return health;
  }

  const check = () => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    check,
    start() {
      if (timer) return;
      timer = setInterval(() => void check(), intervalMs);
      timer.unref?.();
      void check();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    onHealthChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    current: () => last,
  };
}
