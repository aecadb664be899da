/**
 * Brings the registry in line with the workspace list Email Bison just gave: every statement is an
 * idempotent upsert or conditional update, so replicas may run it at the same moment. Nothing is
 * ever deleted from `clients`: a workspace that is gone only leaves the dashboards.
 */
import type { Db } from '../db/types';

export interface DiscoveredWorkspace {
  id: number;
  name: string;
  personal_team: boolean;
}

export interface WorkspaceChange {
  workspaceId: number;
  name: string;
}

export interface SyncResult {
  /** New clients (auto-registration). */
  registered: WorkspaceChange[];
  /** Clients whose workspace was renamed in Email Bison: `name` is the new one. */
  renamed: (WorkspaceChange & { from: string })[];
  /** Active clients whose workspace is gone: now inactive. */
  removed: WorkspaceChange[];
  /** Clients discovery had taken off whose workspace is listed again: active again. */
  restored: WorkspaceChange[];
}

export interface SyncOptions {
  /** Register workspaces that are no client yet. */
  register: boolean;
  /** When the list was read (stored as `seen_at` / `removed_upstream_at`). */
  at: Date;
}

// Rows of the list, as a relation: `FROM listed` in every statement below.
const LISTED = `jsonb_to_recordset($1::jsonb) AS listed(id integer, name text, personal_team boolean)`;

/**
 * Only clients of this instance follow its list (`instance_url` null): a client an admin pointed
 * at another instance is not in this list and must not be taken off.
 */
export async function syncWorkspaces(db: Pick<Db, 'transaction'>, workspaces: DiscoveredWorkspace[], options: SyncOptions): Promise<SyncResult> {
  const listed = JSON.stringify(workspaces.map((w) => ({ id: w.id, name: w.name.trim() || `Workspace ${w.id}`, personal_team: w.personal_team })));
  const clientsListed = workspaces.some((w) => !w.personal_team);
  return db.transaction(async (tx) => {
    // Replicas syncing at once would only repeat each other's work, but could deadlock on row order.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('bison-gateway:discovery:' || current_schema()))`);
    await tx.query(
      `INSERT INTO upstream_workspaces (workspace_id, name, personal_team, seen_at)
       SELECT id, name, personal_team, $2 FROM ${LISTED}
       ON CONFLICT (workspace_id) DO UPDATE SET name = EXCLUDED.name, personal_team = EXCLUDED.personal_team, seen_at = EXCLUDED.seen_at`,
      [listed, options.at],
    );
    await tx.query(`DELETE FROM upstream_workspaces WHERE workspace_id NOT IN (SELECT id FROM ${LISTED})`, [listed]);

    const registered = options.register
      ? (await tx.query<WorkspaceChange>(
          `INSERT INTO clients (workspace_id, name) SELECT id, name FROM ${LISTED} WHERE NOT personal_team
           ON CONFLICT (workspace_id) DO NOTHING RETURNING workspace_id AS "workspaceId", name`,
          [listed],
        )).rows
      : [];
    const renamed = (await tx.query<WorkspaceChange & { from: string }>(
      `UPDATE clients AS c SET name = listed.name, updated_at = now()
       FROM ${LISTED}, (SELECT workspace_id, name FROM clients) AS before
       WHERE c.workspace_id = listed.id AND before.workspace_id = c.workspace_id
         AND c.instance_url IS NULL AND c.name <> listed.name
       RETURNING c.workspace_id AS "workspaceId", c.name, before.name AS "from"`,
      [listed],
    )).rows;
    // An empty list (an outage answering [], a key that sees nothing) must not empty the dashboards.
    const removed = clientsListed
      ? (await tx.query<WorkspaceChange>(
          `UPDATE clients SET active = false, removed_upstream_at = $2, updated_at = now()
           WHERE active AND instance_url IS NULL AND workspace_id NOT IN (SELECT id FROM ${LISTED})
           RETURNING workspace_id AS "workspaceId", name`,
          [listed, options.at],
        )).rows
      : [];
    const restored = (await tx.query<WorkspaceChange>(
      `UPDATE clients SET active = true, removed_upstream_at = NULL, updated_at = now()
       WHERE removed_upstream_at IS NOT NULL AND workspace_id IN (SELECT id FROM ${LISTED})
       RETURNING workspace_id AS "workspaceId", name`,
      [listed],
    )).rows;
    return { registered, renamed, removed, restored };
  });
}
