/**
 * The pool's fair share: one key whose calls hang cannot take the pool from the others of a
 * burst (a cold load of 26 workspaces where one hangs), yet a key alone uses every free slot.
 */
import { describe, expect, it } from 'vitest';
import { createUpstreamScheduler } from '../../src/sources/upstream/scheduler';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('scheduler fair share', () => {
  it('a hanging key holds at most its share while other keys wait; the others all run', async () => {
    const scheduler = createUpstreamScheduler({ concurrency: 8, ratePerMinute: 100_000, burst: 1000 });
    const hang = deferred();
    let hangingInFlight = 0;
    let peakHanging = 0;
    const hanging = Array.from({ length: 6 }, () => scheduler.run({ keyId: 'slow', priority: 'interactive' }, async () => {
      hangingInFlight++;
      peakHanging = Math.max(peakHanging, hangingInFlight);
      await hang.promise;
      hangingInFlight--;
    }));
    const done: string[] = [];
    const others = Array.from({ length: 25 }, (_, i) => scheduler.run({ keyId: `key-${i}`, priority: 'interactive' }, async () => {
      await turn();
      done.push(`key-${i}`);
    }));
    await Promise.all(others);
    expect(done).toHaveLength(25);
    expect(peakHanging).toBe(2); // ceil(8 / 4): six slots stayed for the other keys
    hang.resolve();
    await Promise.all(hanging);
  });

  it('a key alone uses every free slot', async () => {
    const scheduler = createUpstreamScheduler({ concurrency: 8, ratePerMinute: 100_000, burst: 1000 });
    const release = deferred();
    let inFlight = 0;
    let peak = 0;
    const calls = Array.from({ length: 6 }, () => scheduler.run({ keyId: 'alone', priority: 'interactive' }, async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await release.promise;
      inFlight--;
    }));
    await turn();
    await turn();
    expect(peak).toBe(6);
    release.resolve();
    await Promise.all(calls);
  });
});
