/**
 * The alert monitor: every `intervalMs` it reads the health view and the monitoring tables, keys
 * what is wrong as incidents by cause (incidents.ts), and posts Slack incoming-webhook messages:
 * one when an incident opens, one when it clears. An incident that comes back within `cooldownMs` of its last alert is
 * held back (flapping) until the cooldown has passed. Sending never throws; failures are logged
 * without the webhook URL (it is a secret) and retried at the next check.
 *
 * Every replica runs a monitor (each tells its own `healthChanged` subscribers), but only the
 * holder of the alert lease (alert-lease.ts) sends: the others try the lease every `leaseMs / 3`
 * and take over within `leaseMs + leaseMs / 3` when the holder stops renewing it. What was
 * announced is kept in Postgres (incident-state.ts), so an incident open across a handover is one
 * alert and one recovery. The database unreachable degrades alerting (the last holder goes on with
 * what it knows and announces the outage), never the process.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock';
import type { Db } from '../sources/db/types';
import { createAlertLease } from './alert-lease';
import { readHealth, type HealthReport } from './health';
import { createIncidentStateStore } from './incident-state';
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
  /** Names this replica as the alert lease's holder. @default a random id */
  instanceId?: string;
  /** How long the alert lease lasts without renewal (the takeover time, plus a third). @default 20_000 */
  leaseMs?: number;
}

export interface HealthMonitor {
  /** One round: read, compare, alert (if this replica holds the lease). Never rejects. Returns the health read (null if unreadable). */
  check(): Promise<HealthReport | null>;
  start(): void;
  /** Stops the timers (the lease is left to expire, as a crash would). */
  stop(): void;
  /** Stops and gives the lease up, so another replica takes over at its next try. Never rejects. */
  close(): Promise<void>;
  /** Whether this replica holds the alert lease. */
  leading(): boolean;
  /** Called when the score or status changes (and on the first reading). Returns an unsubscribe. */
  onHealthChange(listener: (health: HealthReport) => void): () => void;
  /** The last health read. */
  current(): HealthReport | null;
}

export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const { db, intervalMs = 60_000, webhookUrl = null, clock = systemClock, logger, cooldownMs = 15 * 60_000 } = options;
  const { staleAfterMs = 10 * 60_000, fetch: send = globalThis.fetch, instanceId = randomUUID() } = options;
  const lease = createAlertLease({ db, holder: instanceId, clock, leaseMs: options.leaseMs });
  const incidents = createIncidentStateStore(db, instanceId);
  const listeners = new Set<(health: HealthReport) => void>();
  let last: HealthReport | null = null;
  let timers: Array<ReturnType<typeof setInterval>> = [];
  let running: Promise<HealthReport | null> | null = null;

  async function post(text: string): Promise<boolean> {
    // A holder that hung past its lease may have been replaced meanwhile: it says nothing more.
    if (!lease.mayAlert()) return false;
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

  async function reconcile(active: Map<string, Incident>): Promise<void> {
    const now = clock.now();
    for (const [key, incident] of active) {
      const known = incidents.known.get(key);
      if (known?.state === 'open') continue; // the recovery repeats the summary that was announced
      const lastAlertAt = known?.lastAlertAt ?? null;
      if (lastAlertAt !== null && now - lastAlertAt < cooldownMs) {
        if (known?.state !== 'held') await incidents.set(key, { state: 'held', summary: incident.summary, lastAlertAt, openedAt: now, resolvedAt: null });
        continue;
      }
      if (await post(`:rotating_light: *bison-gateway*: ${incident.summary}`)) {
        await incidents.set(key, { state: 'open', summary: incident.summary, lastAlertAt: now, openedAt: now, resolvedAt: null });
      }
    }
    for (const [key, known] of incidents.known) {
      if (known.state === 'closed' || active.has(key)) continue;
      if (known.state === 'held' || (await post(`:white_check_mark: *bison-gateway* resolved: ${known.summary}`))) {
        await incidents.set(key, { ...known, state: 'closed', resolvedAt: now });
      }
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
    let causes: Incident[] | null = null;
    let unreadable: Error | null = null;
    try {
      health = await readHealth(db);
      causes = [...(await upstreamIncidents(db, clock.now(), { staleAfterMs })), ...(await criticalValidationIncidents(db))];
    } catch (err) {
      unreadable = err as Error;
    }
    if (health) announce(health); // every replica: its own healthChanged subscribers
    // Only the lease holder alerts. Through a database outage the last holder goes on (null: no answer).
    const leads = await lease.acquire(causes?.length ? clock.now() : null);
    if (leads === false) {
      incidents.forget();
      return health;
    }
    if (leads === null && !lease.held()) return health;
    await incidents.sync();
    let active: Incident[];
    if (causes && health) {
      active = [...healthIncident(health, causes, clock.now() - lease.lastCauseAt()), ...causes];
    } else {
      // Keep the other incidents open (we cannot tell whether they cleared) and add this one.
      active = [...incidents.known].filter(([key, v]) => v.state === 'open' && key !== 'monitoring-database').map(([key, v]) => ({ key, summary: v.summary }));
      active.push({ key: 'monitoring-database', summary: `cannot read the monitoring database: ${unreadable?.message ?? 'no answer'}` });
    }
    await reconcile(new Map(active.map((i) => [i.key, i])));
    return health;
  }

  const check = () => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };

  /** Between checks, the holder renews its lease and the others try it, so a takeover need not wait for a check. */
  let electing: Promise<void> | null = null;
  async function elect(): Promise<void> {
    if (running || electing) return;
    const before = lease.held();
    electing = lease.acquire().then(() => {}).finally(() => {
      electing = null;
    });
    await electing;
    if (lease.held() && !before) {
      logger?.info({ instanceId }, 'this replica now sends the alerts (it holds the alert lease)');
      void check();
    }
  }

  const stop = () => {
    for (const timer of timers) clearInterval(timer);
    timers = [];
  };

  return {
    check,
    start() {
      if (timers.length) return;
      timers = [setInterval(() => void check(), intervalMs), setInterval(() => void elect(), Math.min(intervalMs, lease.leaseMs / 3))];
      for (const timer of timers) timer.unref?.();
      void check();
    },
    stop,
    async close() {
      stop();
      await Promise.all([running, electing]);
      await lease.release();
    },
    leading: () => lease.holds(),
    onHealthChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    current: () => last,
  };
}
