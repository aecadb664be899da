/**
 * Api-user keys for client workspaces that have none: minted with the super-admin key
 * (`POST /api/workspaces/v1.1/{id}/api-tokens`), stored encrypted, used from then on, so each
 * workspace is fetched on its own key and rate budget.
 *
 * Exactly one mint per workspace across replicas: a replica claims the workspace in
 * `api_key_mints` under a per-workspace advisory lock (short transactions, never held across the
 * HTTP call); the others wait for the key to land. Minting creates something, so it is never
 * retried blindly: a failure waits `retryAfterMs`, a refusal (403) stops every replica from trying
 * for `refusedRetryMs`, and the workspace is served by the super-admin key meanwhile. Mints run in
 * parallel; once this instance has refused, the next attempts go one at a time until one works,
 * so an instance that still refuses sees one refused call, not one per workspace. A minted key
 * answering 401 is dropped and replaced once;
 * a replacement rejected again within `remintCooldownMs` is not replaced before then.
 */
import { setMaxListeners } from 'node:events';
import DataLoader from 'dataloader';
import type { Clock } from '../../clock';
import type { Logger } from '../../monitoring/logger';
import type { Db } from '../db/types';
import { SourceError } from '../errors';
import type { SecretBox } from './secret-box';
import { keyStatusOf, type KeyStatus, type MintingState } from './key-status';
import { activeWithoutKey, claimMint, dropRejected, settleMint, storedKeys, storeMinted } from './mint-records';

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
  /** Resolves once the first mint of this process settled (or nothing needed one), or after `timeoutMs`. */
  probed(timeoutMs: number): Promise<void>;
  state(): MintingState;
  status(): Promise<KeyStatus>;
}

export interface KeyMintingOptions {
  db: Pick<Db, 'query' | 'transaction'>;
  box: SecretBox | null;
  /**
   * null: no super-admin key, nothing can be minted. `withdraw` aborts when the instance refused
   * another mint: a mint still queued must then not be sent (one that was sent runs to its answer).
   */
  mint: ((workspaceId: number, name: string, withdraw: AbortSignal) => Promise<MintedKey>) | null;
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** One signal shared by every mint of a round (each queued mint listens to it). */
function withdrawal(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

export function createKeyMinting(options: KeyMintingOptions): KeyMinting {
  const { db, box, mint, instanceId, clock, logger } = options;
  const { leaseMs = 120_000, retryAfterMs = 300_000, refusedRetryMs = 3_600_000, remintCooldownMs = 600_000 } = options;
  const canMint = options.enabled && mint !== null && box !== null;
  const flights = new Map<number, Promise<string | null>>();
  // A cold dashboard asks for every workspace's key in the same tick: one query for all of them
  // (PGlite runs queries one at a time, so 26 lookups in a row delayed the last workspace's calls).
  // No cache: every `keyFor` reads what is stored now.
  const stored = new DataLoader<number, string | null | undefined>(async (ids) => {
    const found = await storedKeys(db, ids);
    return ids.map((id) => (found.has(id) ? found.get(id)! : undefined));
  }, { cache: false });
  let refusedUntil = 0;
  // After a refusal, one attempt (the probe) goes first until a mint works again.
  let refusedBefore = false;
  let probe: Promise<unknown> | null = null;
  let refusal = withdrawal(); // aborted on a 403: withdraws the mints still queued
  let firstSettled!: () => void;
  const firstMint = new Promise<void>((resolve) => (firstSettled = resolve));

  function state(): MintingState {
    if (!options.enabled || mint === null) return 'off';
    if (!box) return 'no-encryption-key';
    return refusedUntil > clock.now() ? 'refused' : 'on';
  }

  function refused(workspaceId: number): void {
    const news = refusedUntil <= clock.now();
    refusedUntil = clock.now() + refusedRetryMs;
    refusedBefore = true;
    refusal.abort(new Error('minting refused by Email Bison'));
    refusal = withdrawal();
    if (!news) return;
    probe = null; // the next round starts with a probe again
    logger.warn({ workspaceId }, 'Email Bison refused to mint an api-user key (403): workspaces without a key are served by the super-admin key, one workspace at a time');
  }

  async function mintNow(workspaceId: number, name: string, replacing: boolean): Promise<string | null> {
    let minted: MintedKey;
    const withdraw = refusal.signal;
    try {
      minted = await mint!(workspaceId, `bison-gateway (${new Date(clock.now()).toISOString().slice(0, 10)})`, withdraw);
    } catch (err) {
      if (withdraw.aborted && err === withdraw.reason) {
        await settleMint(db, workspaceId, 'refused', 'not sent: Email Bison refused to mint a key for another workspace', refusedUntil, clock.now());
      } else if (err instanceof SourceError && err.code === 'UPSTREAM_FORBIDDEN') {
        refused(workspaceId);
        await settleMint(db, workspaceId, 'refused', err.message, refusedUntil, clock.now());
      } else {
        logger.warn({ workspaceId, err: messageOf(err) }, `minting an api-user key for workspace ${workspaceId} failed; not retried before ${retryAfterMs / 1000} s`);
        await settleMint(db, workspaceId, 'failed', messageOf(err), clock.now() + retryAfterMs, clock.now());
      }
      return null;
    }
    refusedBefore = false;
    try {
      await storeMinted(db, workspaceId, box!.encrypt(minted.token), minted.id, clock.now(), replacing ? clock.now() + remintCooldownMs : null);
    } catch (err) {
      // Minted but not stored: usable by this process now; another mint follows once the claim expires.
      logger.error({ workspaceId, err: messageOf(err) }, `minted an api-user key for workspace ${workspaceId} but could not store it`);
      return minted.token;
    }
    logger.info({ workspaceId, tokenId: minted.id }, `minted an api-user key for workspace ${workspaceId} ("${name}"), stored encrypted${replacing ? ' (replaces a refused one)' : ''}`);
    options.onChange?.(workspaceId);
    return minted.token;
  }

  async function obtain(workspaceId: number): Promise<string | null> {
    for (let pause = 200; ; pause = Math.min(2_000, pause * 1.5)) {
      const c = await claimMint(db, workspaceId, { holder: instanceId, now: clock.now(), leaseMs });
      if (c.kind === 'key') return box!.decrypt(c.ciphertext);
      if (c.kind === 'claimed') return mintNow(workspaceId, c.name, c.replacing);
      if (c.kind === 'fallback') {
        if (c.refusedUntil) {
          refusedUntil = c.refusedUntil;
          refusedBefore = true;
        }
        return null;
      }
      await sleep(pause); // another replica is minting it: its key lands in the registry
    }
  }

  function ensure(workspaceId: number): Promise<string | null> {
    let flight = flights.get(workspaceId);
    if (!flight) {
      flight = (async () => {
        if (refusedBefore && probe) await probe.catch(() => {});
        if (refusedUntil > clock.now()) return null;
        const attempt = obtain(workspaceId);
        if (refusedBefore && !probe) probe = attempt;
        return attempt;
      })().finally(() => {
        flights.delete(workspaceId);
        firstSettled();
      });
      flights.set(workspaceId, flight);
    }
    return flight;
  }

  return {
    async keyFor(workspaceId) {
      const ciphertext = await stored.load(workspaceId);
      if (ciphertext) {
        if (!box) throw new SourceError('NO_API_KEY', `The Email Bison key of workspace ${workspaceId} is stored encrypted but ENCRYPTION_KEY is not configured`, false, workspaceId);
        return box.decrypt(ciphertext);
      }
      return canMint && ciphertext === null ? ensure(workspaceId) : null;
    },

    async rejected(workspaceId, key) {
      if (!box) return false;
      const outcome = await dropRejected(db, workspaceId, (c) => box.decrypt(c) === key, clock.now());
      if (outcome === 'admin') {
        logger.warn({ workspaceId }, `the api-user key set for workspace ${workspaceId} was refused (401); set a new one with upsertClient`);
        return false;
      }
      if (outcome === 'dropped') {
        logger.warn({ workspaceId }, `the api-user key minted for workspace ${workspaceId} was refused (401); replacing it`);
        options.onChange?.(workspaceId);
      }
      return true;
    },

    async mintMissing() {
      if (!canMint) return;
      const ids = await activeWithoutKey(db).catch((err) => {
        firstSettled();
        throw err;
      });
      if (ids.length === 0) firstSettled();
      await Promise.all(ids.map((id) => ensure(id).catch((err) => logger.warn({ workspaceId: id, err: messageOf(err) }, 'could not obtain an api-user key'))));
    },

    async probed(timeoutMs) {
      if (!canMint) return;
      await Promise.race([firstMint, sleep(timeoutMs)]);
    },

    state,
    status: () => keyStatusOf(db, state()),
  };
}
