import { describe, expect, it } from 'vitest';
import { buildInfrastructure, mailboxCostByWorkspace } from '../../src/resolvers/arithmetic/infrastructure';
import { classifyMailboxes } from '../../src/resolvers/arithmetic/mailboxes';
import { mailbox, sender } from './fixtures';

const one = { name: 'One', workspaceId: 1 };
const two = { name: 'Two', workspaceId: 2 };
const m = [
  mailbox({ ...one, id: 1, provider: 'Google', reseller: 'Zapmail', emailsSent: 100, uniqueReplies: 2, price: 3, dailyCapacity: 20 }),
  mailbox({ ...one, id: 2, provider: 'Google', reseller: 'Zapmail', emailsSent: 40, uniqueReplies: 4, price: 3, dailyCapacity: 20 }),
  mailbox({ ...one, id: 3, provider: 'Outlook', reseller: 'ScaledMail', connected: false, status: 'Not connected', emailsSent: 300, price: 10, dailyCapacity: 5 }),
  mailbox({ ...two, id: 4, provider: 'Outlook', reseller: 'Mailr', emailsSent: 60, price: 0.91, dailyCapacity: 123 }),
  mailbox({ ...two, id: 5, provider: 'Google', reseller: 'CheapInboxes', emailsSent: 50, uniqueReplies: 1, price: 3, dailyCapacity: 20 }),
  mailbox({ ...two, id: 6, provider: 'Yahoo', reseller: 'Unknown', emailsSent: 500, price: 0, dailyCapacity: 10 }),
  mailbox({ ...two, id: 7, provider: 'Google', reseller: 'Zapmail', emailsSent: 49, price: 3, dailyCapacity: 20 }),
];
const result = buildInfrastructure([...m].reverse());

describe('buildInfrastructure', () => {
  it('totals: capacity and cost count connected mailboxes only; reply rate over mailboxes with ≥ 50 sent', () => {
    expect(result.totals).toMatchObject({
      mailboxes: 7, connected: 6, disconnected: 1,
      emailsSent: 1099, replies: 7,
      dailyCapacity: 213, // 20 + 20 + 123 + 20 + 10 + 20 (mailbox 3 is disconnected)
    });
    expect(result.totals.monthlyCost).toBeCloseTo(12.91, 10); // 3 + 3 + 0.91 + 3 + 0 + 3
    // ≥ 50 sent: 1, 3, 4, 5, 6 → replies 2 + 0 + 0 + 1 + 0 = 3 over 100 + 300 + 60 + 50 + 500 = 1010.
    expect(result.totals.replyRate).toBeCloseTo(300 / 1010, 10);
  });

  it('by provider, ordered by mailbox count: the weighted rate ignores mailbox 2 (40 sent, 4 replies)', () => {
    expect(result.byProvider.map((g) => g.key)).toEqual(['Google', 'Outlook', 'Yahoo']);
    expect(result.byProvider[0]).toEqual({
      key: 'Google', workspaceId: null, mailboxes: 4, connected: 4, disconnected: 0, emailsSent: 239, replies: 7,
      replyRate: 2, // (2 + 1) ÷ (100 + 50) × 100
      dailyCapacity: 80, monthlyCost: 12,
    });
    expect(result.byProvider[1]).toMatchObject({ mailboxes: 2, connected: 1, disconnected: 1, emailsSent: 360, replyRate: 0, dailyCapacity: 123 });
    expect(result.byProvider[1].monthlyCost).toBeCloseTo(0.91, 10);
  });

  it('by reseller: ties on count go by name', () => {
    expect(result.byReseller.map((g) => [g.key, g.mailboxes])).toEqual([
      ['Zapmail', 3], ['CheapInboxes', 1], ['Mailr', 1], ['ScaledMail', 1], ['Unknown', 1],
    ]);
    expect(result.byReseller[0]).toMatchObject({ emailsSent: 189, replies: 6, replyRate: 2, dailyCapacity: 60, monthlyCost: 9 });
    expect(result.byReseller[3]).toMatchObject({ key: 'ScaledMail', connected: 0, dailyCapacity: 0, monthlyCost: 0 });
  });

  it('by workspace carries the workspace id and name', () => {
    expect(result.byWorkspace.map((g) => [g.key, g.workspaceId, g.mailboxes])).toEqual([['Two', 2, 4], ['One', 1, 3]]);
    expect(result.byWorkspace[1]).toMatchObject({ emailsSent: 440, replies: 6, replyRate: 0.5, dailyCapacity: 40, monthlyCost: 6 });
    expect(result.byWorkspace[0].replyRate).toBeCloseTo(100 / 610, 10); // 1 ÷ (60 + 50 + 500)
    expect(result.byWorkspace[0].monthlyCost).toBeCloseTo(6.91, 10);
  });

  it('silent mailboxes: connected, ≥ 50 sent, no reply; most sent first', () => {
    // 3 is disconnected, 7 sent only 49.
    expect(result.silentMailboxes.map((s) => s.id)).toEqual([6, 4]);
  });

  it('lists mailboxes by workspace then id, and gives revenue its per-workspace mailbox cost', () => {
    expect(result.mailboxes.map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const costs = mailboxCostByWorkspace(m);
    expect(costs.get(1)).toBe(6);
    expect(costs.get(2)).toBeCloseTo(6.91, 10);
  });

  it('handles an empty list', () => {
    expect(buildInfrastructure([]).totals).toEqual({
      mailboxes: 0, connected: 0, disconnected: 0, emailsSent: 0, replies: 0, replyRate: 0, dailyCapacity: 0, monthlyCost: 0,
    });
  });

  it('scales to 11,000 mailboxes across 27 workspaces', () => {
    const all = Array.from({ length: 27 }, (_, w) => classifyMailboxes(
      { workspaceId: w + 2, name: `W${w + 2}` },
      Array.from({ length: 408 }, (_, i) => sender(w * 1000 + i + 1, `x${i}@d${w}-${i % 20}.com`, ['ScaledMail'], { emails_sent_count: 60 })),
    )).flat();
    const big = buildInfrastructure(all);
    expect(big.totals.mailboxes).toBe(11_016);
    // Each workspace: 20 domains of 20 or 21 ScaledMail mailboxes → $50 per domain → $1000 a workspace.
    expect(big.totals.monthlyCost).toBeCloseTo(27_000, 6);
    expect(big.silentMailboxes).toHaveLength(11_016);
  });
});
