/**
 * Readiness (GET /ready): may a load balancer send this replica traffic? Yes when the database
 * answers AND the gateway can serve dashboards: either its cache holds data it may still serve
 * (stale-if-error), or the upstream answers. A database that hangs counts as down after
 * `timeoutMs`, so the probe itself never hangs. The upstream is only probed when the cache is empty
 * or too old, with one unauthenticated GET (no key is ever sent), and the result is reused for
 * `probeCacheMs` so a probe storm cannot become upstream traffic.
 */
import { systemClock, type Clock } from '../clock';

export interface Readiness {
  ready: boolean;
  database: boolean;
  /** The cache holds at least one value fetched within the stale-if-error limit. */
  cachePrimed: boolean;
  /** Answer of the upstream probe; null when not probed (the cache was enough). */
  upstream: boolean | null;
}

export interface ReadinessOptions {
  /** A cheap round trip, e.g. `SELECT 1`. */
  pingDatabase: () => Promise<unknown>;
  /** Upstream fetch time (epoch ms) of every cache entry; null for an entry without a value. */
  cacheEntries: () => Promise<{ fetchedAt: number | null }[]>;
  /** How old a cached value may be and still be served (the stale-if-error limit). */
  servableForMs: number;
  /** Upstream base URL; any HTTP answer means reachable. */
  upstreamUrl: string;
  /** @default 2000 */
  timeoutMs?: number;
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
    return await Promise.race([work().then(() => true, () => false), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export function createReadinessCheck(options: ReadinessOptions): () => Promise<Readiness> {
  const { pingDatabase, cacheEntries, servableForMs, upstreamUrl, timeoutMs = 2000, probeCacheMs = 5000 } = options;
  const { clock = systemClock, fetch: send = globalThis.fetch } = options;
  let lastProbe: { at: number; reachable: Promise<boolean> } | null = null;

  async function cachePrimed(): Promise<boolean> {
    const now = clock.now();
    let primed = false;
    const ok = await within(timeoutMs, async () => {
      primed = (await cacheEntries()).some((e) => e.fetchedAt !== null && now - e.fetchedAt <= servableForMs);
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
    const [database, primed] = await Promise.all([within(timeoutMs, pingDatabase), cachePrimed()]);
    const upstream = primed ? null : await upstreamReachable();
    return { ready: database && (primed || upstream === true), database, cachePrimed: primed, upstream };
  };
}
