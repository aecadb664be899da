/**
 * What is wrong right now, as incidents keyed by cause: the alert monitor opens an alert when a
 * key appears and sends a recovery when it disappears. One cause is one incident however many
 * workspaces it touches: an Email Bison endpoint failing for 26 workspaces is one message
 * ("Email Bison `/api/workspaces/v1.1/stats` failing for 26 workspaces since 14:02 UTC"), not 26,
 * and the breakers it opened are part of it. The gateway's health score is a symptom: it is an
 * incident of its own only when no cause explains it. Read from the same tables as the health view.
 */
import type { Db } from '../sources/db/types';
import type { HealthReport } from './health';

export interface Incident {
  /** Stable identity of the cause, e.g. `upstream:/api/sender-emails`. */
  key: string;
  /** One line, Slack mrkdwn allowed. */
  summary: string;
}

export interface IncidentRules {
  /** Data older than this (and not fresh) is very stale. @default 10 minutes */
  staleAfterMs: number;
}

/** Route template of each cached resource kind (the breakers' endpoint names). */
const ENDPOINT_OF: Record<string, string> = {
  workspaces: '/api/workspaces/v1.1',
  stats: '/api/workspaces/v1.1/stats',
  'sending-schedules': '/api/campaigns/sending-schedules',
  'sender-emails': '/api/sender-emails',
};

const stamp = (at: Date | string) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

interface EndpointTrouble {
  workspaces: Set<string>;
  errors: number;
  errorMessage: string | null;
  since: Date | null;
  veryStale: number;
  oldest: Date | null;
  breakers: number;
}

/**
 * One incident per Email Bison endpoint in trouble: its cache entries in error, its entries that
 * are not fresh and older than `staleAfterMs` (a `fresh` entry that merely aged unread is not
 * trouble), and its open circuit breakers on live replicas.
 */
export async function upstreamIncidents(db: Pick<Db, 'query'>, now: number, { staleAfterMs }: IncidentRules): Promise<Incident[]> {
  const [{ rows: cache }, { rows: breakers }] = await Promise.all([
    db.query<{ resource: string; workspace_id: number | null; status: string; last_updated: Date | null; updated_at: Date; error_message: string | null }>(
      `SELECT resource, workspace_id, status, last_updated, updated_at, error_message FROM data_cache_metadata
       WHERE status = 'error' OR (status <> 'fresh' AND last_updated < $1)`,
      [new Date(now - staleAfterMs).toISOString()],
    ),
    db.query<{ key: string }>(
      `SELECT DISTINCT jsonb_array_elements_text(open_breaker_keys) AS key FROM gateway_runtime_state
       WHERE updated_at > now() - interval '2 minutes'`,
    ),
  ]);
  const troubles = new Map<string, EndpointTrouble>();
  const troubleOf = (endpoint: string) =>
    troubles.get(endpoint) ?? troubles.set(endpoint, { workspaces: new Set(), errors: 0, errorMessage: null, since: null, veryStale: 0, oldest: null, breakers: 0 }).get(endpoint)!;
  for (const r of cache) {
    const trouble = troubleOf(ENDPOINT_OF[r.resource] ?? r.resource);
    trouble.workspaces.add(r.workspace_id === null ? '-' : String(r.workspace_id));
    if (r.status === 'error') {
      trouble.errors += 1;
      trouble.errorMessage ??= r.error_message;
      if (!trouble.since || new Date(r.updated_at) < trouble.since) trouble.since = new Date(r.updated_at);
    } else {
      trouble.veryStale += 1;
      if (r.last_updated && (!trouble.oldest || new Date(r.last_updated) < trouble.oldest)) trouble.oldest = new Date(r.last_updated);
    }
  }
  for (const { key } of breakers) {
    const [workspace, ...endpoint] = key.split(':');
    const trouble = troubleOf(endpoint.join(':'));
    trouble.workspaces.add(workspace);
    trouble.breakers += 1;
  }
  return [...troubles].sort(([a], [b]) => a.localeCompare(b)).map(([endpoint, t]) => ({ key: `upstream:${endpoint}`, summary: describe(endpoint, t, now) }));
}

function describe(endpoint: string, t: EndpointTrouble, now: number): string {
  const who = t.workspaces.size === 1 && t.workspaces.has('-') ? 'the workspace list' : plural([...t.workspaces].filter((w) => w !== '-').length || 1, 'workspace');
  const failing = t.errors > 0 || t.breakers > 0;
  const parts: string[] = [];
  if (t.errors > 0) parts.push(`${plural(t.errors, 'cache entry', 'cache entries')} in error${t.errorMessage ? ` (e.g. ${t.errorMessage})` : ''}`);
  if (t.breakers > 0) parts.push(`${plural(t.breakers, 'circuit breaker')} open`);
  if (t.veryStale > 0 && t.oldest) parts.push(`${plural(t.veryStale, 'entry', 'entries')} very stale, oldest ${Math.round((now - t.oldest.getTime()) / 60_000)} min old`);
  const head = failing
    ? `Email Bison \`${endpoint}\` failing for ${who}${t.since ? ` since ${stamp(t.since)}` : ''}`
    : `Data from Email Bison \`${endpoint}\` very stale for ${who}`;
  return `${head}: ${parts.join(', ')}`;
}

/** Unresolved critical validation findings, one incident per source they come from. */
export async function criticalValidationIncidents(db: Pick<Db, 'query'>): Promise<Incident[]> {
  const { rows } = await db.query<{ source: string; findings: number; workspaces: number; first_message: string; occurrences: number }>(
    `SELECT source, count(*)::int AS findings, count(DISTINCT workspace_id)::int AS workspaces,
            min(message) AS first_message, sum(occurrences)::int AS occurrences
     FROM data_validation_errors WHERE NOT resolved AND severity = 'critical' GROUP BY source ORDER BY source`,
  );
  return rows.map((r) => ({
    key: `validation:${r.source}`,
    summary: `${plural(r.findings, 'critical validation error')} in \`${r.source}\` for ${plural(r.workspaces || 1, 'workspace')} (seen ${r.occurrences}x), e.g. ${r.first_message}`,
  }));
}

/**
 * How long the score may still lag behind a cause that cleared: the health view counts the last
 * hour of upstream calls, so a resolved outage keeps the score low for up to that long.
 */
export const SYMPTOM_LAG_MS = 60 * 60_000;

/**
 * The health score as an incident, when it is low for a reason no cause incident names: none is
 * open, and none closed within `SYMPTOM_LAG_MS` (the score is still the echo of that one).
 */
export function healthIncident(h: HealthReport, causes: readonly Incident[], msSinceLastCause = Infinity): Incident[] {
  if (h.status === 'healthy' || causes.length > 0 || msSinceLastCause < SYMPTOM_LAG_MS) return [];
  return [{ key: 'health', summary: `Gateway health ${h.status}: score ${h.score}/100. ${h.issues.join('; ')}` }];
}
