/**
 * Readiness (GET /ready): may a load balancer send this replica traffic? Yes while it can answer:
 * it holds data it may still serve (within the stale-if-error limit), or the upstream answers; and
 * it is not shutting down. Dependencies in trouble that do not stop it from answering (database,
 * Redis, open circuit breakers) are listed as `degraded` without failing the check: taking every
 * replica out because Postgres blinked would turn a degraded service into an outage.
 *
 * The probe answers fast whatever hangs: each dependency check is bounded (`dependencyMs`), and the
 * upstream is only probed when nothing servable is held, with one unauthenticated GET (no key is
 * ever sent) whose answer is reused for `probeCacheMs`, so a probe storm cannot become upstream
 * traffic.
 */
import { systemClock, type Clock } from '../clock';

export type Dependency = 'database' | 'redis' | 'breakers';

export interface Readiness {
  ready: boolean;
  /** One line: why not ready, or what is degraded. */
  reason: string;
  draining: boolean;
  database: boolean;
  /** null without Redis. */
  redis: boolean | null;
  /** This replica holds (or the shared cache has) a value fetched within the stale-if-error limit. */
  cachePrimed: boolean;
  /** Answer of the upstream probe; null when not probed (the cache was enough). */
  upstream: boolean | null;
  openBreakers: number;
  degraded: Dependency[];
}

export interface ReadinessOptions {
  /** A cheap round trip, e.g. `SELECT 1`. */
  pingDatabase: () => Promise<unknown>;
  /** Upstream fetch times of the values this process holds (no I/O). */
  heldFetchTimes: () => number[];
  /** Fetch times in the shared cache (null for an entry without a value); asked when nothing held is servable. */
  sharedFetchTimes: () => Promise<(number | null)[]>;
  /** Null without Redis; else whether it answers. */
  redisReachable: () => boolean | null;
  openBreakers: () => number;
  /** Shutting down: not ready, whatever else holds. */
  draining: () => boolean;
  /** How old a cached value may be and still be served (the stale-if-error limit). */
  servableForMs: number;
  /** Upstream base URL; any HTTP answer means reachable. */
  upstreamUrl: string;
  /** Bound of the upstream probe. @default 2000 */
  timeoutMs?: number;
  /** Bound of each dependency check (a slower answer reads as down). @default 500 */
  dependencyMs?: number;
  /** @default 5000 */
  probeCacheMs?: number;
  clock?: Clock;
  fetch?: typeof fetch;
}

/** Resolves true when `work` settles successfully within `ms`; never rejects. */
async function within(ms: number, work: () => Promise<unknown>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(work).then(() => true, () => false), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

const NAMES: Record<Dependency, string> = { database: 'database unreachable', redis: 'Redis unreachable', breakers: 'circuit breakers open' };

export function createReadinessCheck(options: ReadinessOptions): () => Promise<Readiness> {
  const { pingDatabase, heldFetchTimes, sharedFetchTimes, servableForMs, upstreamUrl } = options;
  const { timeoutMs = 2000, dependencyMs = 500, probeCacheMs = 5000, clock = systemClock, fetch: send = globalThis.fetch } = options;
  let lastProbe: { at: number; reachable: Promise<boolean> } | null = null;

  async function cachePrimed(): Promise<boolean> {
    const now = clock.now();
    const servable = (at: number | null) => at !== null && now - at <= servableForMs;
    if (heldFetchTimes().some(servable)) return true;
    let primed = false;
    const ok = await within(dependencyMs, async () => {
      primed = (await sharedFetchTimes()).some(servable);
    });
    return ok && primed;
  }

  function upstreamReachable(): Promise<boolean> {
    if (!lastProbe || clock.now() - lastProbe.at >= probeCacheMs) {
      const reachable = within(timeoutMs, async function probeUpstream() {
        const res = await send(upstreamUrl, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
        await res.body?.cancel();
      });
      lastProbe = { at: clock.now(), reachable };
    }
    return lastProbe.reachable;
  }

  return async function checkReadiness(): Promise<Readiness> {
    const draining = options.draining();
    const [database, primed] = await Promise.all([within(dependencyMs, pingDatabase), cachePrimed()]);
    const upstream = primed || draining ? null : await upstreamReachable();
    const redis = options.redisReachable();
    const openBreakers = options.openBreakers();
    const degraded: Dependency[] = [];
    if (!database) degraded.push('database');
    if (redis === false) degraded.push('redis');
    if (openBreakers > 0) degraded.push('breakers');
    const ready = !draining && (primed || upstream === true);
    const trouble = degraded.map((d) => NAMES[d]).join(', ');
    const reason = draining
      ? 'shutting down: finishing requests in flight'
      : !ready
        ? 'nothing cached that may be served and the upstream is unreachable'
        : degraded.length ? `serving, degraded: ${trouble}` : 'serving';
    return { ready, reason, draining, database, redis, cachePrimed: primed, upstream, openBreakers, degraded };
  };
}
