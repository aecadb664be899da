/** The simulator's run-time controls, in process (`sim.control`) and over HTTP (`/__control/*`). */
import type { ApiKey, KeyStore } from './auth';
import type { Counters, CounterSnapshot } from './counters';
import type { FaultEngine, FaultRule, LatencySpec } from './faults';
import type { RateLimiter, RateLimitOptions } from './rate-limit';
import type { MovableClock } from './sim-clock';
import type { StreamOptions, WebhookDelivery, WebhookEmitter, WebhookSubscription } from './webhooks';
import type { SimWorkspace, World } from './world';

export interface SimulatorControl {
  faults(): FaultRule[];
  /** Replaces every fault rule. */
  setFaults(rules: FaultRule[]): void;
  /** Adds (or replaces, by id) one rule; returns its id. */
  addFault(rule: FaultRule): string;
  removeFault(id: string): boolean;
  clearFaults(): void;
  /** Latency of requests no fault rule gives a latency to. */
  setLatency(latency: LatencySpec): void;
  setRateLimit(options: RateLimitOptions | false): void;
  counters(): CounterSnapshot;
  resetCounters(): void;
  setClock(at: number | string | Date): void;
  advanceClock(ms: number): void;
  /** The workspace a super-admin key currently acts on. */
  currentWorkspace(token: string): number | null;
  subscribeWebhooks(subscription: WebhookSubscription | null): void;
  sendWebhook(type: string, opts?: { workspaceId?: number; count?: number }): Promise<WebhookDelivery[]>;
  startWebhookStream(opts: StreamOptions): void;
  stopWebhookStream(): void;
  /** Removes every fault rule and nothing else: data, clock, counters and webhooks stay as they are. */
  heal(): number;
  /**
   * Faults, counters, rate buckets, super-admin current workspaces and webhook effects back to
   * start. The webhook subscription and stream keep running (stop them with stopWebhookStream);
   * workspaces added, renamed or deleted stay so.
   */
  reset(): void;
  /** An admin creates a client workspace; it gets a seeded api-user key (returned). */
  addWorkspace(input: { name: string; id?: number }): { workspace: SimWorkspace; apiKey: string };
  renameWorkspace(id: number, name: string): SimWorkspace;
  /** Deletes a client workspace and revokes its keys. */
  removeWorkspace(id: number): SimWorkspace;
  /** Live keys without their secrets (who minted what). */
  keys(): ApiKey[];
  /** Revokes a workspace's api-user keys (or just `token`): they answer 401. Returns how many. */
  revokeKeys(workspaceId: number, token?: string): number;
  /** false: `POST /api/workspaces/v1.1/{id}/api-tokens` answers 403, as on instances that refuse it. */
  setMinting(allowed: boolean): void;
}

export interface ControlDeps {
  world: World;
  keys: KeyStore;
  faults: FaultEngine;
  limiter: RateLimiter;
  counters: Counters;
  clock: MovableClock;
  webhooks: WebhookEmitter;
}

export function createControl(d: ControlDeps): SimulatorControl {
  return {
    faults: () => d.faults.list(),
    setFaults: (rules) => d.faults.set(rules),
    addFault: (rule) => d.faults.add(rule),
    removeFault: (id) => d.faults.remove(id),
    clearFaults: () => d.faults.set([]),
    setLatency: (latency) => d.faults.setBaseLatency(latency),
    setRateLimit: (options) => d.limiter.configure(options),
    counters: () => d.counters.snapshot(),
    resetCounters: () => d.counters.reset(),
    setClock: (at) => d.clock.set(at),
    advanceClock: (ms) => d.clock.advance(ms),
    currentWorkspace(token) {
      const key = d.keys.authenticate(`Bearer ${token}`);
      return key ? d.keys.workspaceOf(key) : null;
    },
    subscribeWebhooks: (sub) => d.webhooks.subscribe(sub),
    sendWebhook: (type, opts) => d.webhooks.emit(type, opts),
    startWebhookStream: (opts) => d.webhooks.startStream(opts),
    stopWebhookStream: () => d.webhooks.stopStream(),
    heal() {
      const removed = d.faults.list().length;
      d.faults.set([]);
      return removed;
    },
    reset() {
      d.faults.reset();
      d.counters.reset();
      d.limiter.reset();
      d.keys.resetCurrentWorkspaces();
      d.world.reset();
    },
    addWorkspace(input) {
      const workspace = d.world.addWorkspace(input);
      return { workspace, apiKey: d.keys.addWorkspace(workspace.id) };
    },
    renameWorkspace: (id, name) => d.world.renameWorkspace(id, name),
    removeWorkspace(id) {
      const workspace = d.world.removeWorkspace(id);
      d.keys.removeWorkspace(id);
      return workspace;
    },
    keys: () => d.keys.list(),
    revokeKeys: (workspaceId, token) => d.keys.revoke(workspaceId, token),
    setMinting(allowed) {
      d.keys.mintingAllowed = allowed;
    },
  };
}
