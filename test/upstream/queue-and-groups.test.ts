/**
 * Time in the gateway's own queues is no upstream time: a call that waited longer than the
 * per-attempt timeout still succeeds, opens no breaker, and keeps its retries. And the super-admin
 * key's calls run in workspace groups: one switch per workspace, calls of a workspace together,
 * never a call in flight while the key is switched elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { createUpstreamScheduler } from '../../src/sources/upstream/scheduler';
import { createKeyLock } from '../../src/sources/upstream/key-lock';
import { SourceError } from '../../src/sources/errors';
import { STATS, fakeUpstreams, testClient } from './fake-upstream';

const CTX = { priority: 'interactive', triggeredBy: 'request' } as const;
const stats = (workspaceId: number, day = 1) => ({ kind: 'stats', workspaceId, start: `2026-03-0${day}`, end: '2026-03-09' } as const);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const upstream = fakeUpstreams();

describe('queue time is not upstream time', () => {
  it('a call queued far longer than the per-attempt timeout succeeds, and no breaker counts it', async () => {
    const fake = await upstream(async () => {
      await sleep(40);
      return { json: { data: STATS } };
    });
    const scheduler = createUpstreamScheduler({ concurrency: 1, ratePerMinute: 60_000, burst: 1000 });
    const { client, attempts, breakers } = testClient(fake.url, { scheduler, timeoutMs: 1_000 });
    // Sixty calls on one slot: the last waits at least 2.4 s in the queue, over twice the timeout.
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => client.fetch(stats(7, (i % 9) + 1), CTX)));
    expect(performance.now() - started).toBeGreaterThan(2_000);
    expect(results).toHaveLength(60);
    expect(attempts.every((a) => a.success && a.attempt === 1)).toBe(true);
    expect(breakers.snapshot().every((b) => b.state === 'closed' && b.failures === 0)).toBe(true);
  });

  it('the retry deadline counts from the first send, not from when the call was queued', async () => {
    let answered = 0;
    const fake = await upstream(async () => {
      await sleep(50);
      answered++;
      return answered === 30 ? { status: 503, json: { message: 'Service Unavailable' } } : { json: { data: STATS } };
    });
    const scheduler = createUpstreamScheduler({ concurrency: 1, ratePerMinute: 60_000, burst: 1000 });
    // 1 s deadline; the 30th call is first sent at least 1.45 s after it was queued, and fails once.
    const { client, attempts } = testClient(fake.url, { scheduler, retry: { deadlineMs: 1_000 } });
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => client.fetch(stats(7, (i % 9) + 1), CTX)));
    expect(results.map((r) => r.status)).toEqual(Array(30).fill('fulfilled'));
    expect(attempts.filter((a) => !a.success)).toHaveLength(1);
    expect(attempts.filter((a) => a.attempt === 2 && a.success)).toHaveLength(1);
  });
});

/** A super-admin upstream that answers stats from whatever workspace the key is on at arrival. */
async function superAdminUpstream(latencyMs: number, failSwitchTo?: number) {
  let current = 2;
  let inFlight = 0;
  const overlaps: string[] = [];
  const fake = await upstream(async (req) => {
    if (req.path.endsWith('/switch-workspace')) {
      const to = (req.body as { team_id: number }).team_id;
      if (inFlight > 0) overlaps.push(`switch to ${to} while ${inFlight} call(s) in flight`);
      if (to === failSwitchTo) return { status: 500, json: { message: 'Server Error' } };
      current = to;
      return { json: { data: { success: true } } };
    }
    const seenOn = current;
    inFlight++;
    await sleep(latencyMs);
    inFlight--;
    return { json: { data: { ...STATS, emails_sent: seenOn } } };
  });
  return { fake, overlaps, switches: () => fake.seen.filter((r) => r.path.endsWith('/switch-workspace')).map((r) => (r.body as { team_id: number }).team_id) };
}

describe('super-admin workspace groups', () => {
  it('switches once per workspace, runs each workspace\'s calls together, and never mixes them', async () => {
    const up = await superAdminUpstream(15);
    const keyLock = createKeyLock();
    const { client } = testClient(up.fake.url, { kind: 'super-admin', keyLock });
    // Interleaved arrivals for three workspaces, twelve calls.
    const order = [3, 4, 3, 5, 4, 3, 5, 5, 4, 3, 4, 5];
    const answers = await Promise.all(order.map((ws, i) => client.fetch(stats(ws, (i % 9) + 1), CTX)));
    expect(answers.map((a) => a.emails_sent)).toEqual(order);
    expect(up.switches()).toEqual([3, 4, 5]);
    expect(up.overlaps).toEqual([]);
    // The key is known to be on 5 now: another call for 5 needs no switch.
    await client.fetch(stats(5, 9), CTX);
    expect(up.switches()).toHaveLength(3);
  });

  it('a failed switch fails only its workspace\'s calls; the next workspace runs', async () => {
    const up = await superAdminUpstream(5, 9);
    const { client } = testClient(up.fake.url, { kind: 'super-admin', keyLock: createKeyLock() });
    const [bad, good] = await Promise.allSettled([client.fetch(stats(9), CTX), client.fetch(stats(3), CTX)]);
    expect(bad.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason).toBeInstanceOf(SourceError);
    expect((bad as PromiseRejectedResult).reason.code).toBe('UPSTREAM_5XX');
    expect(good).toEqual({ status: 'fulfilled', value: expect.objectContaining({ emails_sent: 3 }) });
    expect(up.overlaps).toEqual([]);
  });
});
