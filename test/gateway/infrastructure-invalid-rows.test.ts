/**
 * A mailbox whose upstream counters are impossible (more unique replies than emails sent: a reply
 * rate above 100 %) passes the payload schema but breaks a row invariant. It must be left out of
 * the list and the aggregates, named by an `INVALID_ROW` error, and recorded for monitoring as a
 * validation error (data_validation_errors), while every other mailbox is served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway';

const QUERY = `query($first: Int) { infrastructure {
  totals { mailboxes emailsSent replies }
  byWorkspace { workspaceId mailboxes }
  mailboxes(first: $first) { totalCount edges { node { id } } }
  errors { workspaceId code message retryable }
  silentMailboxes { id }
} }`;

describe('infrastructure rows that break an invariant', () => {
  let t: TestGateway;
  let broken: { id: number; workspaceId: number };
  let served: any;

  beforeAll(async () => {
    t = await createTestGateway({ sim: { workspaces: 3, mailboxes: 200 } });
    const ws = t.sim.world.workspaces.find((w) => !w.personal_team)!.id;
    // The live record the simulator serves: 10 sent, 15 unique replies.
    const record = t.sim.world.mailboxes(ws)[3];
    Object.assign(record, { emails_sent_count: 10, unique_replied_count: 15, total_replied_count: 15 });
    broken = { id: record.id, workspaceId: ws };
    const res = await t.query(QUERY, { first: 1000 });
    expect(res.body.errors).toBeUndefined();
    served = res.body.data.infrastructure;
  });
  afterAll(() => t.close());

  const clientMailboxes = () => t.sim.world.workspaces.filter((w) => !w.personal_team).flatMap((w) => t.sim.world.mailboxes(w.id));

  it('leaves the row out of the list and every aggregate, and says so', () => {
    const all = clientMailboxes();
    expect(served.mailboxes.edges.map((e: any) => e.node.id)).not.toContain(broken.id);
    expect(served.mailboxes.totalCount).toBe(all.length - 1);
    expect(served.totals.mailboxes).toBe(all.length - 1);
    expect(served.totals.emailsSent).toBe(all.reduce((a, m) => a + m.emails_sent_count, 0) - 10);
    expect(served.totals.replies).toBe(all.reduce((a, m) => a + m.unique_replied_count, 0) - 15);
    expect(served.byWorkspace.find((g: any) => g.workspaceId === broken.workspaceId).mailboxes).toBe(t.sim.world.mailboxes(broken.workspaceId).length - 1);
    expect(served.errors).toEqual([{
      workspaceId: broken.workspaceId,
      code: 'INVALID_ROW',
      message: expect.stringMatching(new RegExp(`mailbox ${broken.id} .*replyRate`)),
      retryable: false,
    }]);
  });

  it('records it for monitoring as a validation error', async () => {
    await t.gateway.services.recorder.flush();
    const { rows } = await t.gateway.services.db.query<{ source: string; workspace_id: number; error_type: string; field: string; severity: string; message: string }>(
      "SELECT source, workspace_id, error_type, field, severity, message FROM data_validation_errors WHERE error_type = 'invalid_row'");
    expect(rows).toEqual([expect.objectContaining({
      source: 'infrastructure', workspace_id: broken.workspaceId, error_type: 'invalid_row', field: 'replyRate', severity: 'error',
    })]);
    expect(rows[0].message).toContain(`mailbox ${broken.id}`);
  });

  it('keeps serving the error from the memo on a warm request, and the row again once the data is sane', async () => {
    const warm = await t.query(QUERY, { first: 1000 });
    expect(warm.body.data.infrastructure.errors.map((e: any) => e.code)).toEqual(['INVALID_ROW']);
    const record = t.sim.world.mailboxes(broken.workspaceId).find((m) => m.id === broken.id)!;
    Object.assign(record, { unique_replied_count: 0, total_replied_count: 0 });
    await t.query(`mutation { refresh(dashboard: INFRASTRUCTURE, workspaceId: ${broken.workspaceId}) { state } }`);
    const healed = await t.query(QUERY, { first: 1000 });
    expect(healed.body.data.infrastructure.errors).toEqual([]);
    expect(healed.body.data.infrastructure.mailboxes.edges.map((e: any) => e.node.id)).toContain(broken.id);
  });
});
