/**
 * Month arguments are bounded to the months the instance can have: from the month its oldest
 * workspace was created to this month. Out-of-range months are refused before any upstream call
 * (they used to cost one stats call per workspace each), and a long bad value is never echoed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway';

const STATS = 'GET /api/workspaces/v1.1/stats';

describe('revenue months are bounded', () => {
  let t: TestGateway;
  let earliest: string;

  beforeAll(async () => {
    t = await createTestGateway({ sim: { workspaces: 6, mailboxes: 60 } });
    earliest = t.sim.world.workspaces.map((w) => w.created_at).sort()[0].slice(0, 7);
    await t.query('{ workspaces { workspaceId } }'); // the workspace list is cached like any resource
  });
  afterAll(() => t.close());

  const revenue = (month: string) => t.query('query ($m: String) { revenue(month: $m) { month clients { workspaceId } } }', { m: month });

  it.each(['0000-01', '1970-01'])('refuses %s with BAD_USER_INPUT naming the range, calling nothing upstream', async (month) => {
    t.sim.control.resetCounters();
    const res = await revenue(month);
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'month' } });
    expect(res.body.errors?.[0].message).toBe(`Invalid month: ${month} is before this instance's first workspace (${earliest}); months from ${earliest} to 2026-11 have data`);
    expect(t.upstreamCalls(STATS)).toBe(0);
  });

  it('serves the earliest month and refuses the month after this one', async () => {
    const first = await revenue(earliest);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.revenue.month).toBe(earliest);
    const future = await revenue('2026-12');
    expect(future.body.errors?.[0].message).toBe('Invalid month: 2026-12 has not begun yet (this month is 2026-11)');
  });

  it('quotes a long bad value as a short excerpt only', async () => {
    const res = await revenue('x'.repeat(200_000));
    const message = res.body.errors?.[0].message as string;
    expect(message).toBe(`Invalid month: wants YYYY-MM with a month 01-12, got "${'x'.repeat(40)}…" (200000 characters)`);
  });
});
