/**
 * Priming after start runs in the background; a SIGTERM may come while it is still queued behind
 * the per-key pacing. The log then says priming was stopped by the shutdown, not "caches primed"
 * with the cancelled calls passed off as upstream failures.
 */
import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock';
import { captureLog } from '../support/log-capture';
import { startSimulator } from '../../src/simulator';
import { DEFAULT_NOW, createTestGateway } from '../support/gateway';


describe('priming at start, interrupted by the shutdown', () => {
  it('says priming was stopped by the shutdown, not that the caches were primed', async () => {
    // One call a minute per key after a burst of 2: once a key's burst is spent its next calls wait
    // in the queue for a minute, so priming is certainly still running when the gateway closes.
    const clock = new ManualClock(DEFAULT_NOW);
    const sim = await startSimulator({ clock, seed: 'test', rateLimit: false, workspaces: 3, mailboxes: 600 });
    const log = captureLog();
    const t = await createTestGateway({ clock, simulator: sim, env: { UPSTREAM_RATE_PER_MINUTE: '1', UPSTREAM_BURST: '2' }, gateway: { logger: log.logger } });
    try {
      await t.gateway.start();
      await vi.waitFor(() => expect(sim.control.counters().total).toBeGreaterThan(3), { timeout: 10_000 });
      expect(t.gateway.services.scheduler.stats().queued).toBeGreaterThan(0);
    } finally {
      await t.close();
      await sim.close();
    }
    const stopped = () => log.lines.find((l) => String(l.msg).startsWith('priming stopped by the shutdown'));
    await vi.waitFor(() => expect(stopped()).toBeDefined(), { timeout: 10_000 });
    expect(stopped()!.failed).toBeGreaterThan(0);
    expect(log.lines.filter((l) => l.msg === 'caches primed')).toEqual([]);
  });
});
