/**
 * What is wrong right now, as keyed incidents: the alert monitor opens an alert when a key appears
 * and sends a recovery when it disappears. Read from the same tables as the health view.
 */
import type { Db } from '../sources/db/types';
import type { HealthReport } from './health';

export interface Incident {
  /** Stable identity of the incident, e.g. `breaker:7:/api/sender-emails`. */
  key: string;
  /** One line, Slack mrkdwn allowed. */
  summary: string;
}

export interface IncidentRules {
  /** Data older than this (and not fresh) is very stale. @default 10 minutes */
  staleAfterMs: number;
}

export function healthIncident(h: HealthReport): Incident[] {
  if (h.status === 'healthy') return [];
  return [{ key: 'health', summary: `Gateway health ${h.status}: score ${h.score}/100. ${h.issues.join('; ')}` }];
}

export async function breakerIncidents(db: Pick<Db, 'query'>): Promise<Incident[]> {
  const { rows } = await db.query<{ key: string }>(
    `SELECT DISTINCT jsonb_array_elements_text(open_breaker_keys) AS key FROM gateway_runtime_state
     WHERE updated_at > now() - interval '2 minutes' ORDER BY 1`,
  );
  return rows.map(({ key }) => {
    const [workspace, ...endpoint] = key.split(':');
    return { key: `breaker:${key}`, summary: `Circuit breaker open for ${describeWorkspace(workspace)} on \`${endpoint.join(':')}\`` };
  });
}

/**
 * A workspace is in trouble when one of its cache entries is in error, or is not fresh and older
 * than `staleAfterMs`. A `fresh` entry that simply aged is not: nobody has asked for it since.
 */
export async function workspaceIncidents(db: Pick<Db, 'query'>, now: number, { staleAfterMs }: IncidentRules): Promise<Incident[]> {
  const { rows } = await db.query<{ workspace_id: number | null; errors: number; very_stale: number; oldest: Date | null; error_message: string | null }>(
    `SELECT workspace_id,
            count(*) FILTER (WHERE status = 'error')::int AS errors,
            count(*) FILTER (WHERE status <> 'fresh' AND last_updated < $1)::int AS very_stale,
            min(last_updated) AS oldest,
            max(error_message) AS error_message
     FROM data_cache_metadata
     GROUP BY workspace_id
     HAVING count(*) FILTER (WHERE status = 'error' OR (status <> 'fresh' AND last_updated < $1)) > 0
     ORDER BY workspace_id NULLS FIRST`,
    [new Date(now - staleAfterMs).toISOString()],
  );
  return rows.map((r) => {
    const who = describeWorkspace(r.workspace_id === null ? '-' : String(r.workspace_id));
    const parts: string[] = [];
    if (r.errors > 0) parts.push(`${r.errors} cache entries in error${r.error_message ? ` (${r.error_message})` : ''}`);
    if (r.very_stale > 0 && r.oldest) parts.push(`${r.very_stale} entries very stale, oldest ${Math.round((now - new Date(r.oldest).getTime()) / 60_000)} min old`);
    return { key: `workspace:${r.workspace_id ?? '-'}`, summary: `Data of ${who}: ${parts.join(', ')}` };
  });
}

export async function criticalValidationIncidents(db: Pick<Db, 'query'>): Promise<Incident[]> {
  const { rows } = await db.query<{ id: number; source: string; workspace_id: number | null; message: string; occurrences: number }>(
    `SELECT id, source, workspace_id, message, occurrences FROM data_validation_errors
     WHERE NOT resolved AND severity = 'critical' ORDER BY id LIMIT 50`,
  );
  return rows.map((r) => ({
    key: `validation:${r.id}`,
    summary: `Critical validation error in \`${r.source}\` for ${describeWorkspace(r.workspace_id === null ? '-' : String(r.workspace_id))}: ${r.message} (seen ${r.occurrences}x)`,
  }));
}

function describeWorkspace(id: string): string {
  return id === '-' ? 'the workspace list' : `workspace ${id}`;
}
