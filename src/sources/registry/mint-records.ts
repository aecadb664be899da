/**
 * The database side of minting api-user keys: claims in `api_key_mints` and the keys in `clients`,
 * each step one short transaction under the workspace's advisory lock, so replicas agree on who
 * mints and nobody holds a connection across the HTTP call.
 */
import type { Db } from '../db/types';

type Query = Pick<Db, 'query'>;

// Two-key advisory lock: this schema's namespace, then the workspace.
const LOCK = `SELECT pg_advisory_xact_lock(hashtext('bison-gateway:mint:' || current_schema()), $1)`;

export type Claim =
  /** The workspace has a key (maybe just minted by another replica). */
  | { kind: 'key'; ciphertext: string }
  /** Not a client, minting refused instance-wide until `refusedUntil`, or not due yet: the super-admin key serves. */
  | { kind: 'fallback'; refusedUntil: number | null }
  /** Another replica is minting it now. */
  | { kind: 'wait' }
  /** Ours to mint; `replacing` when a key was minted for it before. */
  | { kind: 'claimed'; name: string; replacing: boolean };

export interface ClaimOptions {
  holder: string;
  now: number;
  /** A claim older than this is abandoned (its replica died). */
  leaseMs: number;
}

export function claimMint(db: Pick<Db, 'transaction'>, workspaceId: number, { holder, now, leaseMs }: ClaimOptions): Promise<Claim> {
  return db.transaction(async (tx) => {
    await tx.query(LOCK, [workspaceId]);
    const client = (await tx.query<{ name: string; c: string | null }>('SELECT name, api_key_ciphertext AS c FROM clients WHERE workspace_id = $1', [workspaceId])).rows[0];
    if (!client) return { kind: 'fallback', refusedUntil: null };
    if (client.c) return { kind: 'key', ciphertext: client.c };
    const refused = (await tx.query<{ until: Date | null }>(`SELECT max(next_attempt_at) FILTER (WHERE state = 'refused') AS until FROM api_key_mints`)).rows[0]?.until;
    const refusedUntil = refused ? new Date(refused).getTime() : 0;
    if (refusedUntil > now) return { kind: 'fallback', refusedUntil };
    const row = (await tx.query<{ state: string; holder: string | null; claimed_at: Date | null; next_attempt_at: Date | null; mints: number }>(
      'SELECT state, holder, claimed_at, next_attempt_at, mints FROM api_key_mints WHERE workspace_id = $1', [workspaceId])).rows[0];
    if (row?.state === 'minting' && row.holder !== holder && row.claimed_at && new Date(row.claimed_at).getTime() > now - leaseMs) return { kind: 'wait' };
    if (row?.next_attempt_at && new Date(row.next_attempt_at).getTime() > now) return { kind: 'fallback', refusedUntil: null };
    await tx.query(
      `INSERT INTO api_key_mints (workspace_id, state, holder, claimed_at, updated_at) VALUES ($1, 'minting', $2, $3, $3)
       ON CONFLICT (workspace_id) DO UPDATE SET state = 'minting', holder = $2, claimed_at = $3, updated_at = $3`,
      [workspaceId, holder, new Date(now)],
    );
    return { kind: 'claimed', name: client.name, replacing: (row?.mints ?? 0) > 0 };
  });
}

/** A mint that did not happen: no new attempt for the workspace before `nextAttemptAt`. */
export async function settleMint(db: Query, workspaceId: number, state: 'failed' | 'refused', message: string, nextAttemptAt: number, now: number): Promise<void> {
  await db.query(
    'UPDATE api_key_mints SET state = $2, holder = NULL, next_attempt_at = $3, last_error = $4, updated_at = $5 WHERE workspace_id = $1',
    [workspaceId, state, new Date(nextAttemptAt), message.slice(0, 500), new Date(now)],
  ).catch(() => {}); // the claim then expires after its lease instead
}

/** Stores a minted key (unless an admin set one meanwhile: theirs wins). `cooldownUntil`: no replacement mint before then. */
export function storeMinted(db: Pick<Db, 'transaction'>, workspaceId: number, ciphertext: string, tokenId: number, now: number, cooldownUntil: number | null): Promise<void> {
  return db.transaction(async (tx) => {
    await tx.query(LOCK, [workspaceId]);
    await tx.query('UPDATE clients SET api_key_ciphertext = $2, api_key_minted = true, updated_at = now() WHERE workspace_id = $1 AND api_key_ciphertext IS NULL', [workspaceId, ciphertext]);
    await tx.query(
      `UPDATE api_key_mints SET state = 'minted', holder = NULL, token_id = $2, minted_at = $3, mints = mints + 1,
         next_attempt_at = $4, last_error = NULL, updated_at = $3 WHERE workspace_id = $1`,
      [workspaceId, tokenId, new Date(now), cooldownUntil === null ? null : new Date(cooldownUntil)],
    );
  });
}

/**
 * `key` answered 401. A minted key that is still the stored one is dropped ('dropped'); an
 * admin's key is kept ('admin'); 'gone' / 'replaced' when the stored key is already another.
 */
export function dropRejected(db: Pick<Db, 'transaction'>, workspaceId: number, isStored: (ciphertext: string) => boolean, now: number): Promise<'dropped' | 'admin' | 'gone' | 'replaced'> {
  return db.transaction(async (tx) => {
    await tx.query(LOCK, [workspaceId]);
    const row = (await tx.query<{ c: string | null; minted: boolean }>('SELECT api_key_ciphertext AS c, api_key_minted AS minted FROM clients WHERE workspace_id = $1', [workspaceId])).rows[0];
    if (!row?.c) return 'gone';
    if (!isStored(row.c)) return 'replaced';
    if (!row.minted) return 'admin';
    await tx.query('UPDATE clients SET api_key_ciphertext = NULL, api_key_minted = false, updated_at = now() WHERE workspace_id = $1', [workspaceId]);
    await tx.query(`UPDATE api_key_mints SET last_error = 'Email Bison refused the minted key (401)', updated_at = $2 WHERE workspace_id = $1`, [workspaceId, new Date(now)]);
    return 'dropped';
  });
}

/** The stored keys of several clients, one query: null = no key; absent from the map = no such client. */
export async function storedKeys(db: Query, workspaceIds: readonly number[]): Promise<Map<number, string | null>> {
  const { rows } = await db.query<{ id: number; c: string | null }>(
    'SELECT workspace_id AS id, api_key_ciphertext AS c FROM clients WHERE workspace_id = ANY($1::integer[])', [[...workspaceIds]]);
  return new Map(rows.map((r) => [Number(r.id), r.c]));
}

export async function activeWithoutKey(db: Query): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>('SELECT workspace_id AS id FROM clients WHERE active AND api_key_ciphertext IS NULL ORDER BY workspace_id');
  return rows.map((r) => r.id);
}
