/**
 * Three alert monitors on one database (three replicas: on Postgres, three pools on one schema; on
 * PGlite, one embedded database): exactly one sends, a dead one is replaced within 30 s of the
 * injected clock, and an outage open across the handover is one alert and one recovery.
 * The monitors check every 20 ms of real time; the lease runs on the shared ManualClock.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createHealthMonitor, type HealthMonitor } from '../../src/monitoring/alerts';
import { backends, withDatabase, type TestDatabase } from '../support/databases';
import { clearMonitoring } from './fixtures';
import { startAlertReceiver, type AlertReceiver } from '../support/alert-receiver';


const CHECK_MS = 20;
const someChecks = () => new Promise((resolve) => setTimeout(resolve, CHECK_MS * 10));
const eventually = (fn: () => void) => vi.waitFor(fn, { timeout: 10_000, interval: 10 });

describe.each(backends)('one alerting replica on %s', (kind) => {
  let t: TestDatabase;
  let receiver: AlertReceiver;
  let monitors: HealthMonitor[] = [];
  /** Which replica sent each message. */
  let senders: number[] = [];
  beforeAll(async () => {
    t = await withDatabase(kind);
    receiver = await startAlertReceiver();
  });
  beforeEach(async () => {
    await clearMonitoring(t.db);
    receiver.clear();
    senders = [];
  });
  afterEach(async () => {
    await Promise.all(monitors.map((m) => m.close()));
    monitors = [];
  });
  afterAll(async () => {
    await receiver.close();
    await t.cleanup();
  });

  async function replicas(clock: ManualClock, n = 3) {
    for (let i = 0; i < n; i++) {
      const db = await t.open();
      const send: typeof fetch = (input, init) => {
        senders.push(i);
        return fetch(input, init);
      };
      monitors.push(createHealthMonitor({ db, webhookUrl: receiver.url, clock, intervalMs: CHECK_MS, instanceId: `replica-${i}`, fetch: send }));
    }
    monitors.forEach((m) => m.start());
    await eventually(() => expect(monitors.filter((m) => m.leading())).toHaveLength(1));
    return monitors;
  }

  const breakStats = (clock: ManualClock) =>
    t.db.query(
      `INSERT INTO data_cache_metadata (cache_key, resource, workspace_id, status, last_updated, error_message, updated_at)
       VALUES ('stats:9', 'stats', 9, 'error', $1, 'upstream timed out', $1)`, [new Date(clock.now()).toISOString()]);
  const healStats = () => t.db.query("UPDATE data_cache_metadata SET status = 'fresh', error_message = null");
  const opened = () => receiver.texts.filter((m) => m.startsWith(':rotating_light:'));
  const resolved = () => receiver.texts.filter((m) => m.startsWith(':white_check_mark:'));

  it('only one of three replicas sends an alert, and its recovery', async () => {
    const clock = new ManualClock();
    const ms = await replicas(clock);
    const leader = ms.findIndex((m) => m.leading());
    await breakStats(clock);
    await eventually(() => expect(opened()).toHaveLength(1));
    await someChecks();
    expect(opened()).toHaveLength(1);
    expect(opened()[0]).toContain('Email Bison `/api/workspaces/v1.1/stats` failing for 1 workspace');
    await healStats();
    await eventually(() => expect(resolved()).toHaveLength(1));
    await someChecks();
    expect(receiver.texts).toHaveLength(2);
    expect(new Set(senders)).toEqual(new Set([leader]));
    // Every replica still reads health for its own subscribers.
    expect(ms.every((m) => m.current() !== null)).toBe(true);
  });

  it('a killed leader is replaced within 30 s, and an outage across the handover is one alert and one recovery', async () => {
    const clock = new ManualClock();
    const ms = await replicas(clock);
    const leader = ms.findIndex((m) => m.leading());
    await breakStats(clock);
    await eventually(() => expect(opened()).toHaveLength(1));

    // The leader dies: no release, its lease stays until it expires.
    ms[leader].stop();
    await someChecks(); // what it had in flight when it died has landed
    clock.advance(10_000);
    await someChecks();
    expect(ms.filter((m, i) => i !== leader && m.leading())).toEqual([]); // its lease still runs

    clock.advance(11_000); // 21 s after its last renewal: expired
    await eventually(() => expect(ms.filter((m, i) => i !== leader && m.leading())).toHaveLength(1));
    const next = ms.findIndex((m, i) => i !== leader && m.leading());
    await someChecks();
    expect(opened()).toHaveLength(1); // the new leader knows the incident is open: no second alert

    await healStats();
    await eventually(() => expect(resolved()).toHaveLength(1));
    await someChecks();
    expect(receiver.texts).toHaveLength(2);
    expect(resolved()[0]).toContain('resolved: Email Bison `/api/workspaces/v1.1/stats` failing for 1 workspace');
    expect(senders).toEqual([leader, next]);
  });

  it('a leader that stops gracefully hands over at once', async () => {
    const clock = new ManualClock();
    const ms = await replicas(clock);
    const leader = ms.findIndex((m) => m.leading());
    await ms[leader].close();
    // No clock movement at all: the released lease is taken at the next election tick.
    await eventually(() => expect(ms.filter((m, i) => i !== leader && m.leading())).toHaveLength(1));
    await breakStats(clock);
    await eventually(() => expect(opened()).toHaveLength(1));
    await someChecks();
    expect(opened()).toHaveLength(1);
    expect(senders).not.toContain(leader);
  });

  it('a leader that hung past its lease sends nothing once another took over', async () => {
    const clock = new ManualClock();
    const ms = await replicas(clock, 2);
    const leader = ms.findIndex((m) => m.leading());
    const other = 1 - leader;
    ms[leader].stop(); // hung: no timer runs, its connection stays open
    await someChecks(); // what it had in flight has landed
    clock.advance(21_000);
    await eventually(() => expect(ms[other].leading()).toBe(true));
    await breakStats(clock);
    await eventually(() => expect(opened()).toHaveLength(1));
    // It wakes up: its next round finds the lease taken and stays quiet.
    await ms[leader].check();
    await healStats();
    await eventually(() => expect(resolved()).toHaveLength(1));
    await ms[leader].check();
    await someChecks();
    expect(ms[leader].leading()).toBe(false);
    expect(senders).toEqual([other, other]);
  });
});
