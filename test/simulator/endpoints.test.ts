import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  campaignsPage, chartResponse, mintedTokenResponse, senderEmailsPage, sendingSchedulesResponse, statsResponse, workspacesResponse,
} from '../../src/sources/email-bison/schemas';
import type { Simulator } from '../../src/simulator';
import { activeClient, call, createTestSimulator, getWithBody, keyOf } from './harness';

let sim: Simulator;
let ws: number;
let key: string;
beforeAll(async () => {
  ({ sim } = await createTestSimulator());
  ws = activeClient(sim);
  key = keyOf(sim, ws);
});
afterAll(() => sim.close());

describe('shapes parse with the gateway schemas', () => {
  it('workspaces (both paths) list every workspace for the super-admin', async () => {
    for (const path of ['/api/workspaces', '/api/workspaces/v1.1']) {
      const r = await call(sim, path, sim.superAdminKey);
      expect(r.status).toBe(200);
      expect(workspacesResponse.parse(r.json).data.map((w) => w.id)).toEqual(sim.world.workspaces.map((w) => w.id));
    }
  });

  it('stats equal the ledger window', async () => {
    const r = await call(sim, '/api/workspaces/v1.1/stats?start_date=2026-11-01&end_date=2026-11-20', key);
    const stats = statsResponse.parse(r.json).data;
    const truth = sim.world.window(ws, '2026-11-01', '2026-11-20');
    expect(stats.emails_sent).toBe(truth.sent);
    expect(stats.interested).toBe(truth.interested);
    expect(stats.bounced).toBe(truth.bounced);
    expect(stats.interested_percentage).toBeCloseTo((truth.interested / truth.uniqueReplies) * 100, 2);
  });

  it('chart points sum to the stats of the same window', async () => {
    const q = 'start_date=2026-10-22&end_date=2026-11-20';
    const chart = chartResponse.parse((await call(sim, `/api/workspaces/v1.1/line-area-chart-stats?${q}`, key)).json).data;
    const stats = statsResponse.parse((await call(sim, `/api/workspaces/v1.1/stats?${q}`, key)).json).data;
    const sum = (label: string) => chart.find((s) => s.label === label)!.dates.reduce((s, [, n]) => s + n, 0);
    expect(chart.find((s) => s.label === 'Sent')!.dates).toHaveLength(30);
    expect(sum('Sent')).toBe(stats.emails_sent);
    expect(sum('Interested')).toBe(stats.interested);
    expect(sum('Bounced')).toBe(stats.bounced);
    expect(sum('Replied')).toBe(stats.unique_replies_per_contact);
  });

  it('sending schedules take day from the query or a JSON body', async () => {
    const fromQuery = sendingSchedulesResponse.parse((await call(sim, '/api/campaigns/sending-schedules?day=tomorrow', key)).json).data;
    const fromBody = sendingSchedulesResponse.parse((await getWithBody(sim, '/api/campaigns/sending-schedules', key, { day: 'tomorrow' })).json).data;
    expect(fromBody).toEqual(fromQuery);
    expect(fromQuery.map((s) => s.emails_being_sent)).toEqual(sim.world.schedules(ws, 'tomorrow').map((s) => s.emails_being_sent));
    expect(fromQuery.length).toBeGreaterThan(0);
    expect((await call(sim, '/api/campaigns/sending-schedules?day=someday', key)).status).toBe(422);
  });

  it('mints an api-user key that works at once, pinned to its workspace', async () => {
    const r = await call(sim, `/api/workspaces/v1.1/${ws}/api-tokens`, sim.superAdminKey, { method: 'POST', body: { name: 'gateway' } });
    const token = mintedTokenResponse.parse(r.json).data.plain_text_token;
    const list = workspacesResponse.parse((await call(sim, '/api/workspaces/v1.1', token)).json).data;
    expect(list.map((w) => w.id)).toEqual([ws]);
    expect((await call(sim, '/api/workspaces/v1.1/999/api-tokens', sim.superAdminKey, { method: 'POST', body: { name: 'x' } })).status).toBe(404);
  });
});

describe('Laravel pagination', () => {
  it('walks every sender-email page by following links.next verbatim', async () => {
    let next: string | null = `${sim.url}/api/sender-emails?per_page=100&status=connected`;
    const seen: number[] = [];
    let total = -1;
    let pages = 0;
    while (next) {
      const page = senderEmailsPage.parse((await call(sim, next, key)).json);
      expect(page.meta.per_page).toBe(15);
      expect(page.data.length).toBeLessThanOrEqual(15);
      if (page.links.next) expect(new URL(page.links.next).searchParams.get('status')).toBe('connected');
      total = page.meta.total;
      seen.push(...page.data.map((m) => m.id));
      next = page.links.next;
      pages++;
    }
    const truth = sim.world.mailboxes(ws).filter((m) => m.status === 'Connected');
    expect(seen).toEqual(truth.map((m) => m.id));
    expect(total).toBe(truth.length);
    expect(pages).toBe(Math.ceil(truth.length / 15));
  });

  it('filters by search and tag_ids[]', async () => {
    const mailbox = sim.world.mailboxes(ws)[5];
    const tag = mailbox.tags[0];
    const bySearch = senderEmailsPage.parse((await call(sim, `/api/sender-emails?search=${encodeURIComponent(mailbox.email)}`, key)).json);
    expect(bySearch.data.map((m) => m.id)).toContain(mailbox.id);
    const byTag = senderEmailsPage.parse((await call(sim, `/api/sender-emails?tag_ids[]=${tag.id}`, key)).json);
    expect(byTag.meta.total).toBe(sim.world.mailboxes(ws).filter((m) => m.tags.some((t) => t.id === tag.id)).length);
  });

  it('pages campaigns and says so past the last page', async () => {
    const first = campaignsPage.parse((await call(sim, '/api/campaigns', key)).json);
    expect(first.meta.total).toBe(sim.world.campaigns(ws).length);
    const beyond = campaignsPage.parse((await call(sim, '/api/campaigns?page=99', key)).json);
    expect(beyond.data).toEqual([]);
    expect(beyond.links.next).toBeNull();
    expect(beyond.meta.from).toBeNull();
  });
});

describe('errors', () => {
  it('answers 422 with Laravel errors for missing or bad dates', async () => {
    const missing = await call(sim, '/api/workspaces/v1.1/stats?end_date=2026-11-20', key);
    expect(missing.status).toBe(422);
    expect(missing.json.errors.start_date[0]).toMatch(/required/);
    const bad = await call(sim, '/api/workspaces/v1.1/stats?start_date=2026-02-30&end_date=2026-11-20', key);
    expect(bad.status).toBe(422);
    const reversed = await call(sim, '/api/workspaces/v1.1/line-area-chart-stats?start_date=2026-11-20&end_date=2026-11-01', key);
    expect(reversed.json.errors.end_date).toHaveLength(1);
  });

  it('answers 401 without a valid bearer token and 404 for unknown routes', async () => {
    expect((await call(sim, '/api/workspaces/v1.1', null)).json).toEqual({ message: 'Unauthenticated.' });
    expect((await call(sim, '/api/workspaces/v1.1', '1|wrong-secret')).status).toBe(401);
    const unknown = await call(sim, '/api/nothing-here', key);
    expect(unknown.status).toBe(404);
    expect(unknown.json.data.success).toBe(false);
  });
});
