/**
 * Workspace discovery: with the super-admin key, list the instance's workspaces and bring the
 * registry in line (workspace-sync.ts): new workspaces become active clients (unless
 * auto-registration is off), renamed ones are renamed, deleted ones leave the dashboards. Runs at
 * start and then every `intervalMs`; replicas may all run it (the sync is idempotent).
 */
import type { Logger } from '../../monitoring/logger';
import type { Clock } from '../../clock';
import type { Db } from '../db/types';
import { syncWorkspaces, type DiscoveredWorkspace, type SyncResult } from './workspace-sync';

export interface DiscoveryRun extends SyncResult {
  at: number;
  /** Client workspaces (not the owner's personal team) Email Bison listed. */
  listed: number;
}

export interface Discovery {
  /** One round now. Never rejects: a failure is logged and returns null (the next round retries). */
  runOnce(options?: { timeoutMs?: number }): Promise<DiscoveryRun | null>;
  /** Repeats `runOnce` every interval until `stop`. */
  start(): void;
  stop(): void;
  /** The last successful round, or null. */
  last(): DiscoveryRun | null;
}

export interface DiscoveryOptions {
  db: Pick<Db, 'transaction'>;
  /** The instance's workspace list (super-admin key); `signal` bounds the call. */
  listWorkspaces: (signal: AbortSignal) => Promise<DiscoveredWorkspace[]>;
  /** Register workspaces that are no client yet. @default true */
  autoRegister?: boolean;
  /** @default 300_000 */
  intervalMs?: number;
  clock: Clock;
  logger: Logger;
  /** The registry changed (e.g. to drop cached client lists). */
  onChange?: (run: DiscoveryRun) => void;
}

/** @default timeoutMs 60_000: a round gives up then; the next interval tries again. */
export function createDiscovery(options: DiscoveryOptions): Discovery {
  const { db, listWorkspaces, autoRegister = true, intervalMs = 300_000, clock, logger } = options;
  let timer: ReturnType<typeof setInterval> | null = null;
  let inFlight: Promise<DiscoveryRun | null> | null = null;
  let lastRun: DiscoveryRun | null = null;

  async function round(timeoutMs: number): Promise<DiscoveryRun | null> {
    try {
      const workspaces = await listWorkspaces(AbortSignal.timeout(timeoutMs));
      const at = clock.now();
      const result = await syncWorkspaces(db, workspaces, { register: autoRegister, at: new Date(at) });
      const run: DiscoveryRun = { ...result, at, listed: workspaces.filter((w) => !w.personal_team).length };
      report(run);
      lastRun = run;
      return run;
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'workspace discovery failed; the next round tries again');
      return null;
    }
  }

  function report(run: DiscoveryRun): void {
    const { registered, renamed, removed, restored } = run;
    if (registered.length) {
      logger.info({ workspaceIds: registered.map((c) => c.workspaceId) }, `discovery: registered ${registered.length} Email Bison workspace(s) as active clients (no targets yet)`);
    }
    for (const r of renamed) logger.info({ workspaceId: r.workspaceId }, `discovery: workspace ${r.workspaceId} renamed from "${r.from}" to "${r.name}"`);
    for (const r of removed) logger.warn({ workspaceId: r.workspaceId }, `discovery: workspace ${r.workspaceId} ("${r.name}") is gone from Email Bison; it left the dashboards, its data stays`);
    for (const r of restored) logger.info({ workspaceId: r.workspaceId }, `discovery: workspace ${r.workspaceId} ("${r.name}") is listed again; back on the dashboards`);
    if (run.listed === 0) logger.warn('discovery: Email Bison listed no client workspace; nothing was taken off the dashboards');
    if (registered.length || renamed.length || removed.length || restored.length) options.onChange?.(run);
  }

  function runOnce({ timeoutMs = 60_000 } = {}): Promise<DiscoveryRun | null> {
    // One round at a time: a slow upstream must not stack rounds.
    inFlight ??= round(timeoutMs).finally(() => (inFlight = null));
    return inFlight;
  }

  return {
    runOnce,
    start() {
      if (timer) return;
      timer = setInterval(function discoverWorkspaces() {
        void runOnce();
      }, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    last: () => lastRun,
  };
}
