/**
 * Api-user keys for client workspaces that have none: minted with the super-admin key
 * (`POST /api/workspaces/v1.1/{id}/api-tokens`), stored encrypted, used from then on, so each
 * workspace is fetched on its own key and rate budget.
 *
 * Exactly one mint per workspace across replicas: a replica claims the workspace in
 * `api_key_mints` under a per-workspace advisory lock (short transactions, never held across the
 * HTTP call); the others wait for the key to land. Minting creates something, so it is never
 * retried blindly: a failure waits `retryAfterMs`, a refusal (403) stops every replica from trying
 * for `refusedRetryMs`, and the workspace is served by the super-admin key meanwhile. Until one
 * mint has worked on this instance, mints go one at a time, so a refusing instance sees one
 * refused call, not one per workspace. A minted key answering 401 is dropped and replaced once;
 * a replacement rejected again within `remintCooldownMs` is not replaced before then.
 */
import type { Clock } from '../../clock';
import type { Logger } from '../../monitoring/logger';
import type { Db } from '../db/types';
import { SourceError } from '../errors';
import type { SecretBox } from './secret-box';
import { keyStatusOf, type KeyStatus, type MintingState } from './key-status';

export type { KeyStatus, MintingState } from './key-status';

export interface MintedKey {
  id: number;
  token: string;
}

export interface KeyMinting {
  /** The workspace's stored key, or one minted now; null: serve it with the super-admin key. */
  keyFor(workspaceId: number): Promise<string | null>;
  /** `key` answered 401. Returns true when asking `keyFor` again may give a better key. */
  rejected(workspaceId: number, key: string): Promise<boolean>;
  /** Mints for every active client without a key (start, after discovery). */
  mintMissing(): Promise<void>;
  /** Resolves once the first mint of this process settled, or nothing needed one, or after `timeoutMs`. */
  probed(timeoutMs: number): Promise<void>;
  state(): MintingState;
  status(): Promise<KeyStatus>;
}

export interface KeyMintingOptions {
  db: Pick<Db, 'query' | 'transaction'>;
  box: SecretBox | null;
  /** null: no super-admin key, nothing can be minted. */
  mint: ((workspaceId: number, name: string) => Promise<MintedKey>) | null;
  /** EMAIL_BISON_MINT_KEYS. */
  enabled: boolean;
  /** Names this replica in claims. */
  instanceId: string;
  clock: Clock;
  logger: Logger;
  /** A key was stored or dropped. */
  onChange?: (workspaceId: number) => void;
  /** A claim older than this is abandoned (its replica died). @default 120_000 */
  leaseMs?: number;
  /** @default 300_000 */
  retryAfterMs?: number;
  /** @default 3_600_000 */
  refusedRetryMs?: number;
  /** @default 600_000 */
  remintCooldownMs?: number;
}

type Claim =
  | { kind: 'key'; ciphertext: string }
  | { kind: 'fallback' }
  | { kind: 'wait' }
  | { kind: 'claimed'; name: string; replacing: boolean };

// Two-key advisory lock: this schema's namespace, then the workspace.
const LOCK = `SELECT pg_advisory_xact_lock(hashtext('bison-gateway:mint:' || current_schema()), $1)`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createKeyMinting(options: KeyMintingOptions): KeyMinting {
  const { db, box, mint, instanceId, clock, logger } = options;
  const { leaseMs = 120_000, retryAfterMs = 300_000, refusedRetryMs = 3_600_000, remintCooldownMs = 600_000 } = options;
  const canMint = options.enabled && mint !== null && box !== null;
  const flights = new Map<number, Promise<string | null>>();
  let proven = false; // a mint worked on this instance: mint in parallel from now on
  let probe: Promise<unknown> | null = null;
  let refusedUntil = 0;
  /** Resolves once mintMissing has started its mints (so `probed` sees the probe). */
  let dispatched: Promise<void> = Promise.resolve();
  const at = (ms = 0) => new Date(clock.now() + ms);

  function state(): MintingState {
    if (!options.enabled || mint === null) return 'off';
    if (!box) return 'no-encryption-key';
    return refusedUntil > clock.now() ? 'refused' : 'on';
  }

  async function claim(workspaceId: number): Promise<Claim> {
    return db.transaction(async (tx) => {
      await tx.query(LOCK, [workspaceId]);
      const client = (await tx.query<{ name: string; api_key_ciphertext: string | null }>(
        'SELECT name, api_key_ciphertext FROM clients WHERE workspace_id = $1', [workspaceId])).rows[0];
      if (!client) return { kind: 'fallback' };
      if (client.api_key_ciphertext) return { kind: 'key', ciphertext: client.api_key_ciphertext };
      const { rows } = await tx.query<{ refused_until: Date | null; minted: boolean }>(
        `SELECT max(next_attempt_at) FILTER (WHERE state = 'refused') AS refused_until, bool_or(state = 'minted') AS minted FROM api_key_mints`);
      if (rows[0]?.minted) proven = true;
      const refused = rows[0]?.refused_until ? new Date(rows[0].refused_until).getTime() : 0;
      if (refused > clock.now()) {
        refusedUntil = refused;
        return { kind: 'fallback' };
      }
      const row = (await tx.query<{ state: string; holder: string | null; claimed_at: Date | null; next_attempt_at: Date | null; mints: number }>(
        'SELECT state, holder, claimed_at, next_attempt_at, mints FROM api_key_mints WHERE workspace_id = $1', [workspaceId])).rows[0];
      if (row?.state === 'minting' && row.holder !== instanceId && row.claimed_at && new Date(row.claimed_at).getTime() > clock.now() - leaseMs) {
        return { kind: 'wait' };
      }
      if (row?.next_attempt_at && new Date(row.next_attempt_at).getTime() > clock.now()) return { kind: 'fallback' };
      await tx.query(
        `INSERT INTO api_key_mints (workspace_id, state, holder, claimed_at, updated_at) VALUES ($1, 'minting', $2, $3, $3)
         ON CONFLICT (workspace_id) DO UPDATE SET state = 'minting', holder = $2, claimed_at = $3, updated_at = $3`,
        [workspaceId, instanceId, at()],
      );
      return { kind: 'claimed', name: client.name, replacing: (row?.mints ?? 0) > 0 };
    });
  }

  async function settle(workspaceId: number, state: 'failed' | 'refused', err: unknown, waitMs: number): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    await db.query(
      `UPDATE api_key_mints SET state = $2, holder = NULL, next_attempt_at = $3, last_error = $4, updated_at = $5 WHERE workspace_id = $1`,
      [workspaceId, state, at(waitMs), message.slice(0, 500), at()],
    ).catch(() => {}); // the claim then expires after leaseMs instead
  }

  async function mintNow(workspaceId: number, name: string, replacing: boolean): Promise<string | null> {
    let minted: MintedKey;
    try {
      minted = await mint!(workspaceId, `bison-gateway (${at().toISOString().slice(0, 10)})`);
    } catch (err) {
      if (err instanceof SourceError && err.code === 'UPSTREAM_FORBIDDEN') {
        refusedUntil = clock.now() + refusedRetryMs;
        logger.warn({ workspaceId }, 'Email Bison refused to mint an api-user key (403): workspaces without a key are served by the super-admin key, one workspace at a time');
        await settle(workspaceId, 'refused', err, refusedRetryMs);
      } else {
        logger.warn({ workspaceId, err: err instanceof Error ? err.message : String(err) }, `minting an api-user key for workspace ${workspaceId} failed; not retried before ${retryAfterMs / 1000} s`);
        await settle(workspaceId, 'failed', err, retryAfterMs);
      }
      return null;
    }
    proven = true;
    try {
      await db.transaction(async (tx) => {
        await tx.query(LOCK, [workspaceId]);
        // An admin may have set a key meanwhile: theirs wins.
        await tx.query('UPDATE clients SET api_key_ciphertext = $2, api_key_minted = true, updated_at = now() WHERE workspace_id = $1 AND api_key_ciphertext IS NULL',
          [workspaceId, box!.encrypt(minted.token)]);
        await tx.query(
          `UPDATE api_key_mints SET state = 'minted', holder = NULL, token_id = $2, minted_at = $3, mints = mints + 1,
             next_attempt_at = $4, last_error = NULL, updated_at = $3 WHERE workspace_id = $1`,
          [workspaceId, minted.id, at(), replacing ? at(remintCooldownMs) : null],
        );
      });
    } catch (err) {
      // Minted but not stored: usable by this process now; another mint follows once the claim expires.
      logger.error({ workspaceId, err: err instanceof Error ? err.message : String(err) }, `minted an api-user key for workspace ${workspaceId} but could not store it`);
      return minted.token;
    }
    logger.info({ workspaceId, tokenId: minted.id }, `minted an api-user key for workspace ${workspaceId} ("${name}"), stored encrypted${replacing ? ' (replaces a refused one)' : ''}`);
    options.onChange?.(workspaceId);
    return minted.token;
  }

  async function obtain(workspaceId: number): Promise<string | null> {
    for (let pause = 200; ; pause = Math.min(2_000, pause * 1.5)) {
      const c = await claim(workspaceId);
      if (c.kind === 'key') return box!.decrypt(c.ciphertext);
      if (c.kind === 'fallback') return null;
      if (c.kind === 'claimed') return mintNow(workspaceId, c.name, c.replacing);
      await sleep(pause); // another replica is minting it: its key lands in the registry
    }
  }

  function ensure(workspaceId: number): Promise<string | null> {
    let flight = flights.get(workspaceId);
    if (!flight) {
      flight = (async () => {
        if (!proven && probe) await probe.catch(() => {});
        if (refusedUntil > clock.now()) return null;
        const attempt = obtain(workspaceId);
        if (!proven && !probe) probe = attempt;
        return attempt;
      })().finally(() => flights.delete(workspaceId));
      flights.set(workspaceId, flight);
    }
    return flight;
  }

  return {
    async keyFor(workspaceId) {
      const { rows } = await db.query<{ c: string | null }>('SELECT api_key_ciphertext AS c FROM clients WHERE workspace_id = $1', [workspaceId]);
      if (rows[0]?.c) {
        if (!box) throw new SourceError('NO_API_KEY', `The Email Bison key of workspace ${workspaceId} is stored encrypted but ENCRYPTION_KEY is not configured`, false, workspaceId);
        return box.decrypt(rows[0].c);
      }
      return canMint && rows[0] ? ensure(workspaceId) : null;
    },

    async rejected(workspaceId, key) {
      const dropped = await db.transaction(async (tx) => {
        await tx.query(LOCK, [workspaceId]);
        const row = (await tx.query<{ c: string | null; minted: boolean }>(
          'SELECT api_key_ciphertext AS c, api_key_minted AS minted FROM clients WHERE workspace_id = $1', [workspaceId])).rows[0];
        if (!row?.c || !box) return 'gone';
        if (box.decrypt(row.c) !== key) return 'replaced';
        if (!row.minted) return 'admin';
        await tx.query('UPDATE clients SET api_key_ciphertext = NULL, api_key_minted = false, updated_at = now() WHERE workspace_id = $1', [workspaceId]);
        await tx.query(`UPDATE api_key_mints SET last_error = 'Email Bison refused the minted key (401)', updated_at = $2 WHERE workspace_id = $1`, [workspaceId, at()]);
        return 'dropped';
      });
      if (dropped === 'admin') {
        logger.warn({ workspaceId }, `the api-user key set for workspace ${workspaceId} was refused (401); set a new one with upsertClient`);
        return false;
      }
      if (dropped === 'dropped') {
        logger.warn({ workspaceId }, `the api-user key minted for workspace ${workspaceId} was refused (401); replacing it`);
        options.onChange?.(workspaceId);
      }
      return true;
    },

    async mintMissing() {
      if (!canMint) return;
      let dispatch!: () => void;
      dispatched = new Promise<void>((resolve) => (dispatch = resolve));
      let rows: { id: number }[];
      try {
        rows = (await db.query<{ id: number }>('SELECT workspace_id AS id FROM clients WHERE active AND api_key_ciphertext IS NULL ORDER BY workspace_id')).rows;
      } catch (err) {
        dispatch();
        throw err;
      }
      const round = rows.map((r) => ensure(r.id).catch((err) => {
        logger.warn({ workspaceId: r.id, err: err instanceof Error ? err.message : String(err) }, 'could not obtain an api-user key');
      }));
      dispatch();
      await Promise.all(round);
    },

    async probed(timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      const left = () => Math.max(0, deadline - performance.now());
      await Promise.race([dispatched, sleep(left())]);
      if (probe) await Promise.race([probe.catch(() => {}), sleep(left())]);
    },

    state,
    status: () => keyStatusOf(db, state()),
  };
}
