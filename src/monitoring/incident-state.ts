/**
 * What the alerting replica announced, kept in `alert_incidents` (sql/005_alert_incidents.sql) so
 * it survives a handover: the replica that takes over loads it and carries on (no second alert for
 * an incident that is open, its recovery when it clears, the flap cooldown from the last alert).
 *
 * Changes are written as they happen (right after the message they record was sent); one the
 * database refused waits in memory and is written before the next load, so a Postgres outage
 * never loses what was announced meanwhile. Nothing here throws.
 */
import type { Db } from '../sources/db/types';

export type IncidentState = 'open' | 'held' | 'closed';

export interface KnownIncident {
  state: IncidentState;
  /** The summary that was announced (the recovery repeats it). */
  summary: string;
  /** When its last opening alert was sent (the flap cooldown runs from it); null if never. */
  lastAlertAt: number | null;
  openedAt: number | null;
  resolvedAt: number | null;
}

export interface IncidentStateStore {
  /** Every incident known, by key (closed ones too: their last alert times the cooldown). */
  readonly known: Map<string, KnownIncident>;
  /** Writes what is pending, then reloads from the database; keeps what it has when it cannot. */
  sync(): Promise<void>;
  /** Records a change (memory at once, the database now or at the next sync). */
  set(key: string, incident: KnownIncident): Promise<void>;
  /** Another replica leads: drop what is held here (it is stale the moment the other one acts). */
  forget(): void;
}

const at = (ms: number | null) => (ms === null ? null : new Date(ms));
const ms = (d: Date | string | null) => (d === null ? null : new Date(d).getTime());

export function createIncidentStateStore(db: Pick<Db, 'query'>, holder: string): IncidentStateStore {
  const known = new Map<string, KnownIncident>();
  const pending = new Set<string>();

  async function write(key: string, i: KnownIncident): Promise<void> {
    await db.query(
      `INSERT INTO alert_incidents (incident_key, state, summary, opened_at, last_alert_at, resolved_at, holder, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (incident_key) DO UPDATE SET state = EXCLUDED.state, summary = EXCLUDED.summary, opened_at = EXCLUDED.opened_at,
         last_alert_at = EXCLUDED.last_alert_at, resolved_at = EXCLUDED.resolved_at, holder = EXCLUDED.holder, updated_at = now()`,
      [key, i.state, i.summary, at(i.openedAt), at(i.lastAlertAt), at(i.resolvedAt), holder],
    );
  }

  return {
    known,
    async sync() {
      try {
        for (const key of [...pending]) {
          const incident = known.get(key);
          if (incident) await write(key, incident);
          pending.delete(key);
        }
        const { rows } = await db.query<{ incident_key: string; state: IncidentState; summary: string; opened_at: Date | null; last_alert_at: Date | null; resolved_at: Date | null }>(
          'SELECT incident_key, state, summary, opened_at, last_alert_at, resolved_at FROM alert_incidents',
        );
        known.clear();
        for (const r of rows) {
          known.set(r.incident_key, { state: r.state, summary: r.summary, openedAt: ms(r.opened_at), lastAlertAt: ms(r.last_alert_at), resolvedAt: ms(r.resolved_at) });
        }
      } catch {
        // The database is unreachable: carry on with what this replica knows; pending writes stay pending.
      }
    },
    async set(key, incident) {
      known.set(key, incident);
      pending.add(key);
      try {
        await write(key, incident);
        pending.delete(key);
      } catch {
        // written at the next sync
      }
    },
    forget() {
      known.clear();
      pending.clear();
    },
  };
}
