import { describe, expect, it } from 'vitest';
import { classifyMailboxes, dedupeMailboxes } from '../../src/resolvers/arithmetic/mailboxes';
import { providerNamed, resellerNamed } from '../../src/resolvers/arithmetic/mailbox-rules';
import { mailbox, sender } from './fixtures';

const acme = { workspaceId: 7, name: 'Acme' };
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const byId = (rows: ReturnType<typeof classifyMailboxes>) => new Map(rows.map((r) => [r.id, r]));

describe('classifyMailboxes: provider and reseller', () => {
  const rows = byId(classifyMailboxes(acme, [
    sender(1, 'a@zap.com', ['Google', 'Zapmail', '9/11', 'Warming']),
    sender(2, 'b@cheap.com', ['Microsoft ', 'CheapInboxes - 1']),
    sender(3, 'c@zap.com', ['Warming', 'gmail', 'zapmail']),
    sender(4, 'd@y.com', ['Yahoo', 'Healthy'], { daily_limit: 12 }),
    sender(5, 'e@s.com', ['Google', 'ScaledMail']),
    sender(6, 'f@m.com', ['Mailr']),
    sender(7, 'g@x.com', ['Active', 'Outlook', 'Google']),
    sender(8, 'h@x.com', ['Active'], { type: 'google_workspace_oauth' }),
    sender(9, 'i@x.com', [' iCloud ']),
  ]));

  it('provider is the first provider tag, trimmed and case-insensitive; Gmail is Google, Microsoft is Outlook', () => {
    expect(rows.get(1)).toMatchObject({ provider: 'Google', reseller: 'Zapmail', workspaceId: 7, name: 'Acme', domain: 'zap.com' });
    expect(rows.get(2)).toMatchObject({ provider: 'Outlook', reseller: 'CheapInboxes' });
    expect(rows.get(3)).toMatchObject({ provider: 'Google', reseller: 'Zapmail' });
    expect(rows.get(7)!.provider).toBe('Outlook');
    expect(rows.get(9)!.provider).toBe('iCloud');
  });

  it('ScaledMail and Mailr mailboxes are Outlook; no tag falls back to the connection type', () => {
    expect(rows.get(5)!.provider).toBe('Outlook');
    expect(rows.get(6)!.provider).toBe('Outlook');
    expect(rows.get(8)).toMatchObject({ provider: 'Google', reseller: 'Unknown' });
  });

  it('unknown reseller: priced 0, flagged for review, capacity from daily_limit when not Google/Outlook', () => {
    expect(rows.get(4)).toMatchObject({ provider: 'Yahoo', reseller: 'Unknown', price: 0, needsPriceReview: true, dailyCapacity: 12 });
  });

  it('flat prices and Google/Outlook capacity', () => {
    expect(rows.get(1)).toMatchObject({ price: 3, dailyCapacity: 20, needsPriceReview: false });
    expect(rows.get(2)).toMatchObject({ price: 3, dailyCapacity: 20 });
    expect(rows.get(6)).toMatchObject({ price: 0.91, dailyCapacity: 495 }); // the only Mailr mailbox on m.com
  });
});

describe('classifyMailboxes: per-domain price and capacity', () => {
  const senders = [
    ...range(1, 3).map((id) => sender(id, `s${id}@a.com`, ['ScaledMail'])), // 3 on a.com
    sender(4, 'z@a.com', ['Google', 'Zapmail']), // another reseller on a.com does not count
    ...range(100, 24).map((id) => sender(id, `s${id}@b24.com`, ['ScaledMail'])),
    ...range(200, 25).map((id) => sender(id, `s${id}@b25.com`, ['ScaledMail'])),
    ...range(300, 48).map((id) => sender(id, `s${id}@b48.com`, ['ScaledMail'], { status: 'Not connected' })),
    ...range(400, 49).map((id) => sender(id, `s${id}@B49.com`, ['ScaledMail'])),
    ...range(500, 4).map((id) => sender(id, `m${id}@mailr.com`, ['Mailr', 'Outlook'])),
  ];
  const rows = byId(classifyMailboxes(acme, senders));

  it('ScaledMail: $50 shared by the mailboxes on the domain; 5 a day, 8 when 25–48 on the domain', () => {
    expect(rows.get(1)!.price).toBeCloseTo(50 / 3, 10);
    expect(rows.get(1)!.dailyCapacity).toBe(5);
    expect(rows.get(100)).toMatchObject({ dailyCapacity: 5 }); // 24
    expect(rows.get(100)!.price).toBeCloseTo(50 / 24, 10);
    expect(rows.get(200)).toMatchObject({ dailyCapacity: 8, price: 2 }); // 25: 50 ÷ 25
    expect(rows.get(300)).toMatchObject({ dailyCapacity: 8, connected: false }); // 48, disconnected still counted
    expect(rows.get(300)!.price).toBeCloseTo(50 / 48, 10);
    expect(rows.get(400)).toMatchObject({ dailyCapacity: 5, domain: 'b49.com' }); // 49
  });

  it('Mailr: ⌊495 ÷ mailboxes on the domain⌋ and $0.91', () => {
    expect(rows.get(500)).toMatchObject({ dailyCapacity: 123, price: 0.91, provider: 'Outlook' }); // ⌊495 ÷ 4⌋ = 123
  });

  it('Zapmail on a ScaledMail domain keeps its own price', () => {
    expect(rows.get(4)).toMatchObject({ price: 3, dailyCapacity: 20 });
  });
});

describe('classifyMailboxes: overrides, counters, status, duplicates', () => {
  const rows = classifyMailboxes(acme, [
    sender(1, 'a@zap.com', ['Google', 'Zapmail'], { emails_sent_count: 200, unique_replied_count: 1 }),
    sender(2, 'b@x.com', ['Custom'], { status: 'Not connected' }),
    sender(3, 'c@x.com', ['Google', 'Zapmail'], { status: 'Disconnected' }),
    sender(1, 'dup@zap.com', ['Google'], { emails_sent_count: 999 }),
  ], [
    { senderEmailId: 1, price: 4.5, dailyLimit: 30, note: null },
    { senderEmailId: 2, price: 2, dailyLimit: null, note: 'bought direct' },
  ]);

  it('a manual override wins over the rules and clears the review flag', () => {
    expect(rows[0]).toMatchObject({ price: 4.5, dailyCapacity: 30, overridden: true });
    expect(rows[1]).toMatchObject({ price: 2, dailyCapacity: 10, needsPriceReview: false, overridden: true });
    expect(rows[2]).toMatchObject({ overridden: false, price: 3 });
  });

  it('reply rate is unique replies ÷ sent × 100, 0 when nothing was sent', () => {
    expect(rows[0]).toMatchObject({ emailsSent: 200, uniqueReplies: 1, replyRate: 0.5 });
    expect(rows[1].replyRate).toBe(0);
  });

  it('only "Connected" is connected; a repeated id is kept once', () => {
    expect(rows.map((r) => [r.id, r.connected])).toEqual([[1, true], [2, false], [3, false]]);
  });
});

describe('dedupeMailboxes', () => {
  it('keeps one row per id, the lowest workspace id, and returns the others', () => {
    const { mailboxes, duplicates } = dedupeMailboxes([
      mailbox({ id: 1, workspaceId: 9 }), mailbox({ id: 2, workspaceId: 9 }), mailbox({ id: 1, workspaceId: 4 }),
    ]);
    expect(mailboxes.map((m) => [m.id, m.workspaceId])).toEqual([[1, 4], [2, 9]]);
    expect(duplicates.map((m) => [m.id, m.workspaceId])).toEqual([[1, 9]]);
  });
});

describe('providerNamed, resellerNamed: what a typed filter means', () => {
  it('canonical names and tags, any case and spacing; null for anything else', () => {
    expect(['google', 'GOOGLE', ' Gmail ', 'gmail'].map(providerNamed)).toEqual(['Google', 'Google', 'Google', 'Google']);
    expect(['outlook', 'Microsoft', 'icloud', 'unknown', 'custom'].map(providerNamed)).toEqual(['Outlook', 'Outlook', 'iCloud', 'Unknown', 'Custom']);
    expect(['hotmail', '', 'Zapmail'].map(providerNamed)).toEqual([null, null, null]);
    expect(['mailr', 'CheapInboxes - 2', 'scaledmail', 'UNKNOWN'].map(resellerNamed)).toEqual(['Mailr', 'CheapInboxes', 'ScaledMail', 'Unknown']);
    expect(['Google', 'Instantly'].map(resellerNamed)).toEqual([null, null]);
  });
});
