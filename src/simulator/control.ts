/** The simulator's run-time controls, in process (`sim.control`) and over HTTP (`/__control/*`). */
import type { KeyStore } from './auth';
import type { Counters, CounterSnapshot } from './counters';
import type { FaultEngine, FaultRule, LatencySpec } from './faults';
import type { RateLimiter, RateLimitOptions } from './rate-limit';
import type { MovableClock } from './sim-clock';
import type { StreamOptions, WebhookDelivery, WebhookEmitter, WebhookSubscription } from './webhooks';
import type { World } from './world';

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
  /** Faults, counters, rate buckets, super-admin current workspaces, webhook effects and stream: all back to start. */
  reset(): void;
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
    reset() {
      d.faults.reset();
      d.counters.reset();
      d.limiter.reset();
      d.keys.resetCurrentWorkspaces();
      d.webhooks.stopStream();
      d.world.reset();
    },
  };
}
