/**
 * Email Bison simulator: a real HTTP server faithful to EMAIL_BISON.md (shared docs), used by every
 * test, demo (`npm start` without EMAIL_BISON_URL) and benchmark.
 *
 * ```ts
 * const clock = new ManualClock('2026-11-20T12:00:00Z');
 * const sim = await startSimulator({ clock, seed: 'test', rateLimit: false });
 * fetch(`${sim.url}/api/workspaces/v1.1/stats?start_date=2026-11-01&end_date=2026-11-20`,
 *   { headers: { Authorization: `Bearer ${sim.apiKeys.get(12)}` } });
 * sim.world.window(12, '2026-11-01', '2026-11-20').interested;   // the truth to compare with
 * await sim.close();
 * ```
 * Options (all optional): `port` (0 = random), `host` ('127.0.0.1'), `seed` ('bison'), `clock`
 * (systemClock; a ManualClock is moved in place by control.setClock), `workspaces` (27: root id 2 +
 * clients), `mailboxes` (4,500 in total, 50–1,600 each), `latencyMs` (0; a LatencySpec), `faults`
 * (FaultRule[]), `rateLimit` ({ perMinute: 60, burst: 10 } per key, on the sim clock; false = off),
 * `webhooks` (a WebhookSubscription), `minting` (true; false = minting api-user keys answers 403).
 *
 * The simulator: `url`, `port`, `superAdminKey`, `apiKeys: Map<workspaceId, token>`, `world` (truth:
 * `workspaces`, `day(ws, 'YYYY-MM-DD')`, `window(ws, start, end)`, `mailboxes(ws)`, `campaigns(ws)`,
 * `schedules(ws, 'today')`, `profile(ws).activity`), `clock`, `control`, `close()`.
 *
 * Controls (`sim.control`, and the same over HTTP under `/__control/`, see control-http.ts):
 * `setFaults/addFault/removeFault/clearFaults/faults`, `setLatency`, `setRateLimit`, `counters()`
 * (by endpoint `GET /api/sender-emails`, workspace, key label `api-user#7`, status; `inFlight`,
 * `peakInFlight`, `recent`), `resetCounters`, `setClock/advanceClock`, `currentWorkspace(token)`,
 * `subscribeWebhooks({ url, secret?, secretHeader?, secretQuery? })`, `sendWebhook(type, { workspaceId?, count? })`,
 * `startWebhookStream({ perSecond, types?, workspaceIds? })`, `stopWebhookStream`, `heal()` (faults only),
 * `reset()` (data, counters, faults; webhooks keep streaming), `addWorkspace/renameWorkspace/removeWorkspace`,
 * `keys()`, `revokeKeys(workspaceId)`, `setMinting(false)` (minting api-user keys answers 403).
 *
 * A FaultRule scopes a FaultSpec by `workspaceId` and/or `endpoint` (`GET /api/workspaces/v1.1/stats`
 * or the bare path); none = global; more specific rules override. FaultSpec: `latencyMs` (ms,
 * `{ min, max }`, plus `slowRate`/`slowMs` for a slow tail), `errorRate` + `errorStatus` (500) +
 * `html`, `hangRate`, `resetRate`, `malformedRate`, `drift: { mode: 'missing'|'renamed'|'string',
 * field?, rate? }`, `stringly` (stats numbers as numeric strings). Rates are shares 0..1 drawn from
 * a seeded PRNG: same seed and request order, same faults.
 *
 * A request is answered from the state at its arrival (a super-admin request sees the workspace
 * current then), after auth (401), the key's rate bucket (429 + Retry-After) and the fault plan.
 */
import { systemClock, type Clock } from '../clock';
import { KeyStore } from './auth';
import { createControl, type SimulatorControl } from './control';
import { handleControl } from './control-http';
import { Counters } from './counters';
import { FaultEngine, type FaultRule, type LatencySpec } from './faults';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitOptions } from './rate-limit';
import { createSimulatorServer } from './server';
import { movableClock, type MovableClock } from './sim-clock';
import { WebhookEmitter, type WebhookSubscription } from './webhooks';
import { createWorld, type World } from './world';

export type { FaultRule, FaultSpec, LatencySpec, DriftMode } from './faults';
export type { RateLimitOptions } from './rate-limit';
export type { CounterSnapshot, RequestRecord } from './counters';
export type { SimulatorControl } from './control';
export type { WebhookSubscription, WebhookDelivery, StreamOptions } from './webhooks';
export { WEBHOOK_TYPES, type WebhookType, type WebhookPayload } from './webhook-events';
export type { World, DayCounts, SimMailbox, SimCampaign, SimSchedule, SimWorkspace, ScheduleDay } from './world';
export { statsFromCounts } from './world';

export interface SimulatorOptions {
  /** @default 0 (a random free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 'bison' */
  seed?: string | number;
  /** @default systemClock */
  clock?: Clock;
  /** @default 27 */
  workspaces?: number;
  /** @default 4500 */
  mailboxes?: number;
  /** @default 0 */
  latencyMs?: LatencySpec;
  faults?: FaultRule[];
  /** @default { perMinute: 60, burst: 10 } */
  rateLimit?: RateLimitOptions | false;
  webhooks?: WebhookSubscription;
  /** false: the instance refuses to mint api-user keys (403). @default true */
  minting?: boolean;
}

export interface Simulator {
  url: string;
  port: number;
  superAdminKey: string;
  apiKeys: Map<number, string>;
  world: World;
  clock: MovableClock;
  control: SimulatorControl;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = String(options.seed ?? 'bison');
  const clock = movableClock(options.clock ?? systemClock);
  const world = createWorld({ seed, clock, workspaces: options.workspaces ?? 27, mailboxes: options.mailboxes ?? 4500 });
  const keys = new KeyStore(seed, world.workspaces.map((w) => w.id), world.workspaces[0].id);
  keys.mintingAllowed = options.minting ?? true;
  const faults = new FaultEngine(seed, options.latencyMs ?? 0, options.faults ?? []);
  const limiter = new RateLimiter(clock, options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const counters = new Counters();
  let url = '';
  const webhooks = new WebhookEmitter(world, clock, counters, seed, () => url);
  if (options.webhooks) webhooks.subscribe(options.webhooks);
  const control = createControl({ world, keys, faults, limiter, counters, clock, webhooks });
  const sim = createSimulatorServer({
    world, keys, faults, limiter, counters,
    now: () => clock.now(),
    control: (method, u, body) => handleControl(control, world, () => clock.now(), method, u, body),
  });
  await new Promise<void>((resolve, reject) => {
    sim.server.once('error', reject);
    sim.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = sim.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = options.host ?? '127.0.0.1';
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    superAdminKey: keys.superAdminKey,
    apiKeys: keys.apiKeys,
    world,
    clock,
    control,
    async close() {
      webhooks.stopStream();
      await sim.close();
    },
  };
}
