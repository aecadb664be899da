import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, eachDate } from '../../src/simulator/dates';
import type { Simulator } from '../../src/simulator';
import { activeClient, createTestSimulator } from './harness';
import { ManualClock } from '../../src/clock';

let sim: Simulator;
let clock: ManualClock;
beforeAll(async () => ({ sim, clock } = await createTestSimulator()));
afterAll(() => sim.close());

const domainOf = (email: string) => email.split('@')[1];

describe('simulated workspaces', () => {
  it('has one root team and 26 clients with ids in 2..46 and gaps', () => {
    const ws = sim.world.workspaces;
    expect(ws).toHaveLength(27);
    expect(ws.filter((w) => w.personal_team).map((w) => w.id)).toEqual([2]);
    expect(ws.every((w) => w.id >= 2 && w.id <= 46)).toBe(true);
    expect(new Set(ws.map((w) => w.id)).size).toBe(27);
    expect(ws.filter((w) => !w.personal_team).every((w) => w.parent_id === 2)).toBe(true);
  });

  it('is the same world for the same seed and another for another seed', async () => {
    const { sim: twin } = await createTestSimulator();
    const { sim: other } = await createTestSimulator({ seed: 'other' });
    try {
      const id = activeClient(sim);
      expect(twin.world.workspaces).toEqual(sim.world.workspaces);
      expect(twin.world.mailboxes(id)).toEqual(sim.world.mailboxes(id));
      expect(twin.world.day(id, '2026-10-07')).toEqual(sim.world.day(id, '2026-10-07'));
      expect(other.world.workspaces.map((w) => w.name)).not.toEqual(sim.world.workspaces.map((w) => w.name));
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it('spreads ~4,500 mailboxes 50..1,600 per workspace', () => {
    const counts = sim.world.workspaces.map((w) => sim.world.mailboxes(w.id).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4500);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...counts)).toBeLessThanOrEqual(1600);
    const ids = sim.world.workspaces.flatMap((w) => sim.world.mailboxes(w.id).map((m) => m.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('scales to 11,000 mailboxes', async () => {
    const { sim: big } = await createTestSimulator({ mailboxes: 11_000 });
    try {
      expect(big.world.workspaces.reduce((s, w) => s + big.world.mailboxes(w.id).length, 0)).toBe(11_000);
    } finally {
      await big.close();
    }
  });
});

describe('simulated mailboxes', () => {
  const all = () => sim.world.workspaces.flatMap((w) => sim.world.mailboxes(w.id));
  const tagNames = (m: { tags: { name: string }[] }) => m.tags.map((t) => t.name);

  it('carry provider, reseller, date and lifecycle tags with real-world mess', () => {
    const mailboxes = all();
    const names = new Set(mailboxes.flatMap(tagNames));
    for (const n of ['Google', 'Gmail', 'Microsoft', 'Microsoft ', 'Outlook', 'Zapmail', 'CheapInboxes', 'CheapInboxes - 1', 'Mailr', 'ScaledMail', '9/11', 'Warming']) {
      expect(names, n).toContain(n);
    }
    expect(mailboxes.every((m) => m.tags.length >= 3 && m.tags.length <= 5)).toBe(true);
    const resellers = ['Zapmail', 'CheapInboxes', 'Mailr', 'ScaledMail'];
    expect(mailboxes.some((m) => !tagNames(m).some((t) => resellers.some((r) => t.startsWith(r))))).toBe(true);
    expect(mailboxes.every((m) => tagNames(m).some((t) => /^\d+\/\d+$/.test(t)))).toBe(true);
  });

  it('share domains: several multi-mailbox ScaledMail and Mailr domains, some with 25-48 ScaledMail', () => {
    const perDomain = new Map<string, { scaled: number; mailr: number }>();
    for (const m of all()) {
      const d = perDomain.get(domainOf(m.email)) ?? { scaled: 0, mailr: 0 };
      if (tagNames(m).includes('ScaledMail')) d.scaled++;
      if (tagNames(m).includes('Mailr')) d.mailr++;
      perDomain.set(domainOf(m.email), d);
    }
    const counts = [...perDomain.values()];
    expect(counts.filter((d) => d.scaled >= 2).length).toBeGreaterThan(5);
    expect(counts.filter((d) => d.mailr >= 2).length).toBeGreaterThan(5);
    expect(counts.filter((d) => d.scaled >= 25 && d.scaled <= 48).length).toBeGreaterThan(3);
  });

  it('have mostly Connected, some Not connected and a few other statuses; replies 0-1 %; silent ones exist', () => {
    const mailboxes = all();
    const statuses = new Map<string, number>();
    for (const m of mailboxes) statuses.set(m.status, (statuses.get(m.status) ?? 0) + 1);
    expect(statuses.get('Connected')! / mailboxes.length).toBeGreaterThan(0.8);
    expect(statuses.get('Not connected')).toBeGreaterThan(50);
    expect(statuses.size).toBeGreaterThan(2);
    expect(mailboxes.every((m) => m.unique_replied_count <= m.emails_sent_count * 0.01 + 0.5)).toBe(true);
    const silent = mailboxes.filter((m) => m.status === 'Connected' && m.emails_sent_count >= 50 && m.unique_replied_count === 0);
    expect(silent.length).toBeGreaterThanOrEqual(27);
  });
});

describe('the per-day ledger', () => {
  const id = () => activeClient(sim);
  const window = (ws: number, days: number, end = '2026-11-20') => sim.world.window(ws, addDays(end, 1 - days), end);

  it('makes overlapping windows agree', () => {
    for (const w of sim.world.workspaces) {
      const [d7, d14, d30] = [7, 14, 30].map((n) => window(w.id, n));
      const mtd = sim.world.window(w.id, '2026-11-01', '2026-11-20');
      for (const f of ['sent', 'interested', 'bounced', 'uniqueReplies'] as const) {
        expect(d7[f]).toBeLessThanOrEqual(d14[f]);
        expect(d14[f]).toBeLessThanOrEqual(d30[f]);
        expect(mtd[f]).toBeLessThanOrEqual(d30[f]);
      }
      const sum = eachDate('2026-10-22', '2026-11-20').reduce((s, d) => s + sim.world.day(w.id, d).sent, 0);
      expect(sum).toBe(d30.sent);
    }
  });

  it('has realistic magnitudes for active workspaces', () => {
    const month = sim.world.window(id(), '2026-10-01', '2026-10-31');
    expect(month.sent / 31).toBeGreaterThan(300);
    expect(month.sent / 31).toBeLessThan(3000);
    expect(month.interested).toBeGreaterThanOrEqual(5);
    expect(month.interested).toBeLessThanOrEqual(400);
    expect(month.interested / month.uniqueReplies).toBeGreaterThan(0.2);
    expect(month.interested / month.uniqueReplies).toBeLessThan(0.5);
    expect(month.bounced / month.sent).toBeLessThan(0.06);
  });

  it('covers the previous 14 months and nothing in the future', () => {
    expect(window(id(), 31, '2025-09-30').sent).toBeGreaterThan(0);
    expect(sim.world.day(id(), '2026-11-21').sent).toBe(0);
  });

  it('leaves a few workspaces sending nothing lately', () => {
    const quiet = sim.world.workspaces.filter((w) => window(w.id, 14).sent === 0);
    expect(quiet.length).toBeGreaterThanOrEqual(2);
    expect(quiet.length).toBeLessThanOrEqual(6);
  });

  it('grows today as the clock moves and rolls over to a new day', () => {
    const before = sim.world.day(id(), '2026-11-20').sent;
    clock.set('2026-11-20T18:00:00Z');
    const later = sim.world.day(id(), '2026-11-20').sent;
    clock.set('2026-11-21T18:00:00Z');
    try {
      expect(later).toBeGreaterThan(before);
      expect(sim.world.today()).toBe('2026-11-21');
      expect(sim.world.day(id(), '2026-11-21').sent).toBeGreaterThan(0);
    } finally {
      clock.set('2026-11-20T12:00:00Z');
    }
  });
});
