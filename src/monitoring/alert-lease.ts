/**
 * Which replica sends alerts: the holder of a lease row in `alert_leases` (sql/005_alert_incidents.sql).
 * A replica takes the row when it is free or expired and keeps it by renewing it every
 * `leaseMs / 3`; when the holder stops renewing (it died, hung, or lost Postgres), the lease
 * expires after `leaseMs` and the next replica to try takes it: a takeover within
 * `leaseMs + leaseMs / 3` (20 s + 7 s by default). A graceful stop releases the lease at once.
 *
 * A lease rather than a session advisory lock: a killed process drops its session lock at once,
 * but a hung one (stopped, blocked event loop, a half-open TCP connection Postgres only notices
 * after keepalives, often hours) keeps it for ever and nobody would alert. A lease expires by
 * itself. Its cost, a holder that wakes up after its lease expired, is bounded by `holds()`: the
 * monitor sends only while the lease it last renewed is ahead of its clock.
 *
 * Time is the injected clock's (tests drive it), so replicas' clocks must agree to within a few
 * seconds (NTP). One process on PGlite is alone with its database: it always wins the lease.
 */
import type { Clock } from '../clock';
import type { Db } from '../sources/db/types';

export interface AlertLeaseOptions {
  db: Pick<Db, 'query'>;
  /** This replica's name in `alert_leases.holder`. */
  holder: string;
  clock: Clock;
  /** @default 20_000 */
  leaseMs?: number;
  /** @default 'alerts' */
  name?: string;
}

export interface AlertLease {
  /**
   * Takes or renews the lease. true: this replica leads until `leaseMs` from now; false: another
   * holds it; null: the database did not answer (see `held`). `causeAt` records a cause seen now.
   */
  acquire(causeAt?: number | null): Promise<boolean | null>;
  /** The lease this replica last won is still ahead of its clock. */
  holds(): boolean;
  /** This replica won the lease at its last answered try (still true through a database outage). */
  held(): boolean;
  /**
   * This replica may send now: it holds a lease ahead of its clock, or it held the lease when the
   * database stopped answering (nobody can take it over then, and the outage must be announced).
   */
  mayAlert(): boolean;
  /** The last moment any leader saw a cause incident (from the lease row), -Infinity if never. */
  lastCauseAt(): number;
  /** Gives the lease up, so another replica takes over at its next try. Never rejects. */
  release(): Promise<void>;
  readonly leaseMs: number;
}

export function createAlertLease({ db, holder, clock, leaseMs = 20_000, name = 'alerts' }: AlertLeaseOptions): AlertLease {
  let until = 0;
  let leading = false;
  let lastCause = -Infinity;
  let answered = true;

  return {
    leaseMs,
    async acquire(causeAt = null) {
      const now = clock.now();
      try {
        // One statement, atomic under concurrent replicas: insert the row, or take it over when it
        // is this replica's or expired; no row back means another replica holds a live lease.
        const { rows } = await db.query<{ last_cause_at: Date | null }>(
          `INSERT INTO alert_leases AS l (name, holder, expires_at, acquired_at, last_cause_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at,
             acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE EXCLUDED.acquired_at END,
             last_cause_at = GREATEST(l.last_cause_at, EXCLUDED.last_cause_at)
           WHERE l.holder = EXCLUDED.holder OR l.expires_at <= EXCLUDED.acquired_at
           RETURNING last_cause_at`,
          [name, holder, new Date(now + leaseMs), new Date(now), causeAt === null ? null : new Date(causeAt)],
        );
        answered = true;
        leading = rows.length > 0;
        until = leading ? now + leaseMs : 0;
        if (rows[0]?.last_cause_at) lastCause = Math.max(lastCause, new Date(rows[0].last_cause_at).getTime());
        return leading;
      } catch {
        if (causeAt !== null) lastCause = Math.max(lastCause, causeAt);
        answered = false;
        return null;
      }
    },
    holds: () => leading && clock.now() < until,
    held: () => leading,
    mayAlert: () => leading && (!answered || clock.now() < until),
    lastCauseAt: () => lastCause,
    async release() {
      if (!leading) return;
      leading = false;
      until = 0;
      await db.query(`UPDATE alert_leases SET expires_at = '-infinity' WHERE name = $1 AND holder = $2`, [name, holder]).catch(() => {});
    },
  };
}
