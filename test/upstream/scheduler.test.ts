import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUpstreamScheduler } from '../../src/sources/upstream/scheduler';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('upstream scheduler: shared pool', () => {
  it('never runs more than `concurrency` tasks at once', async () => {
    const scheduler = createUpstreamScheduler({ concurrency: 3, ratePerMinute: 60_000, burst: 1000 });
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      running--;
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => scheduler.run({ keyId: `k${i % 4}`, priority: i % 2 ? 'interactive' : 'background' }, task)));
    expect(peak).toBe(3);
    expect(scheduler.stats()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('is a sliding window: a slow task does not hold back the others', async () => {
    const scheduler = createUpstreamScheduler({ concurrency: 2, ratePerMinute: 60_000, burst: 1000 });
    const slow = deferred();
    const slowRun = scheduler.run({ keyId: 'a', priority: 'background' }, () => slow.promise);
    const done: number[] = [];
    // In batches of 2, tasks 1..5 would wait for the slow one; in a sliding window they all finish.
    await Promise.all([1, 2, 3, 4, 5].map((n) => scheduler.run({ keyId: 'a', priority: 'background' }, async () => void done.push(n))));
    expect(done).toEqual([1, 2, 3, 4, 5]);
    expect(scheduler.stats().inFlight).toBe(1);
    slow.resolve();
    await slowRun;
  });

  it('starts a burst in chunks of 8, with a turn of the event loop between chunks for I/O', async () => {
    // A cold dashboard starts 156 calls at once: the first requests must be able to connect and
    // leave (I/O callbacks run between turns) before the last of the burst is prepared.
    const scheduler = createUpstreamScheduler({ concurrency: 64, ratePerMinute: 60_000, burst: 1000 });
    const log: string[] = [];
    const runs = Array.from({ length: 20 }, (_, i) => scheduler.run({ keyId: `k${i}`, priority: 'interactive' }, async () => {
      log.push(`task ${i + 1}`);
      if (i === 0) setImmediate(() => log.push('io of task 1'));
    }));
    expect(scheduler.stats().inFlight).toBe(20); // every slot is taken at once; only the starts are spread
    await Promise.all(runs);
    const io = log.indexOf('io of task 1');
    expect(log.slice(0, io)).toEqual(Array.from({ length: 8 }, (_, i) => `task ${i + 1}`));
    expect(log.filter((l) => l.startsWith('task'))).toEqual(Array.from({ length: 20 }, (_, i) => `task ${i + 1}`));
    // A later burst starts its first chunk at once again.
    const later: string[] = [];
    const second = [1, 2, 3].map((n) => scheduler.run({ keyId: 'k', priority: 'interactive' }, async () => void later.push(`task ${n}`)));
    await Promise.resolve().then(() => undefined).then(() => undefined).then(() => undefined);
    expect(later).toEqual(['task 1', 'task 2', 'task 3']);
    await Promise.all(second);
  });

  it('starts interactive tasks before background ones that were queued earlier', async () => {
    const scheduler = createUpstreamScheduler({ concurrency: 1, ratePerMinute: 60_000, burst: 1000 });
    const gate = deferred();
    const order: string[] = [];
    const blocker = scheduler.run({ keyId: 'a', priority: 'background' }, () => gate.promise);
    const runs = [
      scheduler.run({ keyId: 'a', priority: 'background' }, async () => void order.push('bg1')),
      scheduler.run({ keyId: 'b', priority: 'background' }, async () => void order.push('bg2')),
      scheduler.run({ keyId: 'c', priority: 'interactive' }, async () => void order.push('ia1')),
      scheduler.run({ keyId: 'a', priority: 'interactive' }, async () => void order.push('ia2')),
    ];
    expect(scheduler.stats().queuedByPriority).toEqual({ interactive: 2, background: 2 });
    gate.resolve();
    await Promise.all([blocker, ...runs]);
    expect(order).toEqual(['ia1', 'ia2', 'bg1', 'bg2']);
  });

  it('passes a task failure to its caller and keeps going', async () => {
    const scheduler = createUpstreamScheduler({ concurrency: 1, ratePerMinute: 60_000, burst: 1000 });
    const failing = scheduler.run({ keyId: 'a', priority: 'interactive' }, async () => { throw new Error('boom'); });
    const next = scheduler.run({ keyId: 'a', priority: 'interactive' }, async () => 'ok');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });

  it('removes a queued task whose caller aborts', async () => {
    const scheduler = createUpstreamScheduler({ concurrency: 1, ratePerMinute: 60_000, burst: 1000 });
    const gate = deferred();
    const blocker = scheduler.run({ keyId: 'a', priority: 'background' }, () => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const queued = scheduler.run({ keyId: 'a', priority: 'background', signal: controller.signal }, async () => void (ran = true));
    controller.abort(new Error('caller left'));
    await expect(queued).rejects.toThrow('caller left');
    expect(scheduler.stats().queued).toBe(0);
    gate.resolve();
    await blocker;
    expect(ran).toBe(false);
  });

  it('rejects a nonsensical configuration with the value it got', () => {
    expect(() => createUpstreamScheduler({ concurrency: 0, ratePerMinute: 60 })).toThrow(/concurrency must be an integer >= 1, got 0/);
  });
});

describe('upstream scheduler: per-key pacing', () => {
  afterEach(() => vi.useRealTimers());

  it('paces one key to its rate, queueing (never rejecting), without blocking other keys', async () => {
    vi.useFakeTimers({ now: 0 });
    // 2 per minute, burst 2: a third call of key A must wait 30 s for a token.
    const scheduler = createUpstreamScheduler({ concurrency: 8, ratePerMinute: 2, burst: 2 });
    const started: string[] = [];
    const run = (keyId: string, name: string) => scheduler.run({ keyId, priority: 'interactive' }, async () => void started.push(name));
    const all = [run('A', 'a1'), run('A', 'a2'), run('A', 'a3'), run('A', 'a4'), run('B', 'b1')];
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['a1', 'a2', 'b1']); // b1 is not stuck behind a3
    expect(scheduler.stats().queued).toBe(2);

    await vi.advanceTimersByTimeAsync(29_000);
    expect(started).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3', 'a4']);
    await Promise.all(all);
  });

  it('holds a paused key (429 Retry-After) while other keys go on', async () => {
    vi.useFakeTimers({ now: 0 });
    const scheduler = createUpstreamScheduler({ concurrency: 8, ratePerMinute: 600, burst: 10 });
    scheduler.pause('A', 5_000);
    const started: string[] = [];
    const a = scheduler.run({ keyId: 'A', priority: 'interactive' }, async () => void started.push('a'));
    const b = scheduler.run({ keyId: 'B', priority: 'background' }, async () => void started.push('b'));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['b']);
    expect(scheduler.stats()).toMatchObject({ pausedKeys: 1, queued: 1 });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(started).toEqual(['b']);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual(['b', 'a']);
    expect(scheduler.stats().pausedKeys).toBe(0);
    await Promise.all([a, b]);
  });

  it('after a pause, resumes the queued calls one by one at the slowed rate, not in the same millisecond', async () => {
    vi.useFakeTimers({ now: 0 });
    const scheduler = createUpstreamScheduler({ concurrency: 8, ratePerMinute: 600, burst: 10 });
    scheduler.pause('A', 5_000); // a 429 came back: Retry-After 5 s
    const started: number[] = [];
    const runs = Array.from({ length: 6 }, () => scheduler.run({ keyId: 'A', priority: 'interactive' }, async () => void started.push(Date.now())));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([]);
    // Halved (300 a minute) and at most 90 % of one call per Retry-After (10.8 a minute), with a burst of one.
    expect(scheduler.rateOf('A')).toBeCloseTo(10.8, 6);
    await vi.advanceTimersByTimeAsync(5_000 + 5 * 5_556);
    await Promise.all(runs);
    const gaps = started.slice(1).map((at, i) => at - started[i]);
    expect(started[0]).toBe(5_000);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(5_555);
  });

  it('slows a key once per refusal episode and brings it back to its rate when the upstream stops refusing', async () => {
    vi.useFakeTimers({ now: 0 });
    const scheduler = createUpstreamScheduler({ concurrency: 8, ratePerMinute: 40, burst: 4, pace: { recoverEveryMs: 60_000, recoverFactor: 2 } });
    scheduler.pause('A', 1_000);
    scheduler.pause('A', 1_000); // another call of the same burst, refused too: the same episode
    expect(scheduler.rateOf('A')).toBe(20);
    expect(scheduler.rateOf('B')).toBe(40);
    await vi.advanceTimersByTimeAsync(2_000);
    scheduler.pause('A', 0); // a new refusal after the hold, without Retry-After: halved again
    expect(scheduler.rateOf('A')).toBe(10);
    await vi.advanceTimersByTimeAsync(60_000);
    await scheduler.run({ keyId: 'A', priority: 'interactive' }, async () => 'ok');
    expect(scheduler.rateOf('A')).toBe(20);
    await vi.advanceTimersByTimeAsync(60_000);
    await scheduler.run({ keyId: 'A', priority: 'interactive' }, async () => 'ok');
    expect(scheduler.rateOf('A')).toBe(40);
    // Back at its rate, the key has its burst again (once the bucket refilled: 4 tokens at 40 a minute).
    await vi.advanceTimersByTimeAsync(6_000);
    const started: number[] = [];
    const burst = Array.from({ length: 4 }, () => scheduler.run({ keyId: 'A', priority: 'interactive' }, async () => void started.push(Date.now())));
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all(burst);
    expect(started).toHaveLength(4);
    expect(new Set(started).size).toBe(1);
  });

  it('on close, rejects queued calls without running them and waits for the calls in flight', async () => {
    const scheduler = createUpstreamScheduler({ concurrency: 1, ratePerMinute: 60_000, burst: 1000 });
    const gate = deferred();
    let finished = false;
    const inFlight = scheduler.run({ keyId: 'a', priority: 'background' }, async () => { await gate.promise; finished = true; });
    let ran = false;
    const queued = scheduler.run({ keyId: 'a', priority: 'background' }, async () => void (ran = true));
    const closing = scheduler.close(5_000);
    await expect(queued).rejects.toThrow('the upstream scheduler is shut down');
    await expect(scheduler.run({ keyId: 'b', priority: 'interactive' }, async () => 'late')).rejects.toThrow('shut down');
    let closed = false;
    void closing.then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(false);
    gate.resolve();
    await closing;
    expect(finished).toBe(true);
    expect(ran).toBe(false);
    await inFlight;
  });

  it('lets a long queue on one key drain completely', async () => {
    vi.useFakeTimers({ now: 0 });
    const scheduler = createUpstreamScheduler({ concurrency: 4, ratePerMinute: 60, burst: 1 });
    const results = Array.from({ length: 12 }, (_, i) => scheduler.run({ keyId: 'A', priority: 'background' }, async () => i));
    await vi.advanceTimersByTimeAsync(11_000);
    await expect(Promise.all(results)).resolves.toEqual([...Array(12).keys()]);
  });
});
