/** What tests observe about the traffic: requests per endpoint, workspace, key and status, concurrency. */

export interface RequestRecord {
  /** Route template, e.g. `GET /api/sender-emails`, or `unknown` for 404s. */
  endpoint: string;
  workspaceId: number | null;
  /** `super-admin#1` / `api-user#7`, never the secret; null when unauthenticated. */
  key: string | null;
  /** HTTP status, or `reset` / `hang` when no answer was sent. */
  status: number | 'reset' | 'hang';
  at: number;
  /** Query string as sent (`?start_date=…&end_date=…`, `?page=2`); '' or absent when none. */
  query?: string;
  /** The W3C `traceparent` header as sent, if any (tests check trace context reaches the upstream). */
  traceparent?: string;
}

export interface CounterSnapshot {
  total: number;
  byEndpoint: Record<string, number>;
  byWorkspace: Record<string, number>;
  byKey: Record<string, number>;
  byStatus: Record<string, number>;
  inFlight: number;
  peakInFlight: number;
  webhooks: { delivered: number; failed: number };
  /** The most recent requests, oldest first (at most 10,000). */
  recent: RequestRecord[];
}

const RECENT_LIMIT = 10_000;

export class Counters {
  private snapshotBase = Counters.empty();

  static empty(): CounterSnapshot {
    return { total: 0, byEndpoint: {}, byWorkspace: {}, byKey: {}, byStatus: {}, inFlight: 0, peakInFlight: 0, webhooks: { delivered: 0, failed: 0 }, recent: [] };
  }

  requestStarted(): void {
    const s = this.snapshotBase;
    s.inFlight++;
    if (s.inFlight > s.peakInFlight) s.peakInFlight = s.inFlight;
  }

  requestEnded(): void {
    this.snapshotBase.inFlight = Math.max(0, this.snapshotBase.inFlight - 1);
  }

  record(r: RequestRecord): void {
    const s = this.snapshotBase;
    s.total++;
    bump(s.byEndpoint, r.endpoint);
    if (r.workspaceId !== null) bump(s.byWorkspace, String(r.workspaceId));
    if (r.key) bump(s.byKey, r.key);
    bump(s.byStatus, String(r.status));
    s.recent.push(r);
    if (s.recent.length > RECENT_LIMIT) s.recent.splice(0, s.recent.length - RECENT_LIMIT);
  }

  webhook(delivered: boolean): void {
    if (delivered) this.snapshotBase.webhooks.delivered++;
    else this.snapshotBase.webhooks.failed++;
  }

  /** A copy, safe to keep while traffic continues. */
  snapshot(): CounterSnapshot {
    return structuredClone(this.snapshotBase);
  }

  /** Zeroes everything but the requests in flight right now (the peak restarts from them). */
  reset(): void {
    const inFlight = this.snapshotBase.inFlight;
    this.snapshotBase = { ...Counters.empty(), inFlight, peakInFlight: inFlight };
  }
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}
