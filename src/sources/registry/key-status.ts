/**
 * Which key serves each active client, in numbers and in words: for `health.issues`, /ready, the
 * start banner and the logs. A workspace without its own api-user key is served by the super-admin
 * key, one workspace at a time: correct, but slower, and worth saying why.
 */
import type { Db } from '../db/types';

/** on: minting works or is untried; refused: Email Bison answered 403; off: EMAIL_BISON_MINT_KEYS=false or no super-admin key. */
export type MintingState = 'on' | 'off' | 'refused' | 'no-encryption-key';

export interface KeyStatus {
  minting: MintingState;
  /** Active clients by the key that serves them. */
  minted: number;
  /** Keys an admin set (upsertClient apiKey). */
  own: number;
  /** Active clients without a key of their own: served by the super-admin key. */
  superAdmin: number[];
  /** The last mint failure or refusal, if any. */
  lastError: string | null;
}

export async function keyStatusOf(db: Pick<Db, 'query'>, minting: MintingState): Promise<KeyStatus> {
  const [clients, mints] = await Promise.all([
    db.query<{ workspace_id: number; has_key: boolean; minted: boolean }>(
      'SELECT workspace_id, api_key_ciphertext IS NOT NULL AS has_key, api_key_minted AS minted FROM clients WHERE active ORDER BY workspace_id'),
    db.query<{ last_error: string }>(`SELECT last_error FROM api_key_mints WHERE last_error IS NOT NULL AND state <> 'minted' ORDER BY updated_at DESC LIMIT 1`),
  ]);
  const rows = clients.rows;
  return {
    minting,
    minted: rows.filter((r) => r.has_key && r.minted).length,
    own: rows.filter((r) => r.has_key && !r.minted).length,
    superAdmin: rows.filter((r) => !r.has_key).map((r) => r.workspace_id),
    lastError: mints.rows[0]?.last_error ?? null,
  };
}

const WHY: Record<MintingState, string> = {
  refused: 'Email Bison refused to mint api-user keys (403)',
  'no-encryption-key': 'ENCRYPTION_KEY is not set, so no api-user key can be minted and stored',
  off: 'minting api-user keys is off (EMAIL_BISON_MINT_KEYS=false or no super-admin key)',
  on: 'their api-user key is not minted yet',
};

/** One line when some workspaces ride on the super-admin key, else none. */
export function keyIssues(status: KeyStatus): string[] {
  const n = status.superAdmin.length;
  if (n === 0) return [];
  const last = status.minting === 'on' && status.lastError ? ` (last attempt: ${status.lastError})` : '';
  return [
    `${n} workspace(s) are served by the super-admin key, one workspace at a time: ${WHY[status.minting]}${last}. ` +
      'Give them api-user keys with upsertClient(input: { workspaceId, apiKey }) for parallel loads.',
  ];
}
