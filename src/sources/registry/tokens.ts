/**
 * The gateway's own bearer tokens. A token is `bgw_` + 32 random bytes (base64url), shown once;
 * only its sha256 is stored, so a lookup by hash needs no constant-time compare and a database
 * leak reveals no usable token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role } from '../../access';
import { systemClock, type Clock } from '../../clock';
import type { Db } from '../db/types';
import { parseInput, workspaceIdSchema } from './client-input';
import { RegistryInputError } from './errors';

export interface TokenIdentity { id: number; role: Role; workspaceId: number | null; label: string | null }

export interface TokenInfo extends TokenIdentity { createdAt: string; lastUsedAt: string | null; revokedAt: string | null }

export interface TokenStore {
  /** Mints a token; `token` is returned once and never stored. CLIENT tokens need a workspaceId. */
  create(input: { role: Role; workspaceId?: number | null; label?: string | null }): Promise<{ id: number; token: string }>;
  /** The identity behind a token, or null when unknown or revoked. */
  verify(token: string): Promise<TokenIdentity | null>;
  /** Returns false when no such token (or already revoked). */
  revoke(id: number): Promise<boolean>;
  list(): Promise<TokenInfo[]>;
  /** Waits for pending last_used_at writes (tests, shutdown). */
  settle(): Promise<void>;
}

export const TOKEN_PREFIX = 'bgw_';
/** last_used_at is written at most this often per token, so verifying stays a read. */
const TOUCH_INTERVAL_MS = 60_000;

const createSchema = z.object({
  role: z.enum(ROLES, { error: 'ADMIN or CLIENT' }),
  workspaceId: workspaceIdSchema.nullable().optional(),
  label: z.string({ error: 'text or null' }).trim().max(200, { error: 'at most 200 characters' }).nullable().optional(),
});

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

interface TokenRow { id: number; role: Role; workspace_id: number | null; label: string | null; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }

export function createTokenStore(db: Db, clock: Clock = systemClock): TokenStore {
  const lastTouched = new Map<number, number>();
  const pending = new Set<Promise<unknown>>();

  function touch(id: number, storedLastUsed: Date | null): void {
    const now = clock.now();
    const last = Math.max(lastTouched.get(id) ?? -Infinity, storedLastUsed ? new Date(storedLastUsed).getTime() : -Infinity);
    if (now - last < TOUCH_INTERVAL_MS) return;
    lastTouched.set(id, now);
    // Fire and forget: a failed bookkeeping write must not fail the request it rides on.
    const write = db.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [id, new Date(now)]).catch(() => lastTouched.delete(id));
    pending.add(write);
    void write.finally(() => pending.delete(write));
  }

  return {
    async create(raw) {
      const input = parseInput(createSchema, raw);
      const workspaceId = input.workspaceId ?? null;
      if (input.role === 'CLIENT' && workspaceId === null) throw new RegistryInputError('workspaceId', 'is required for a CLIENT token (it sees one workspace)');
      if (input.role === 'ADMIN' && workspaceId !== null) throw new RegistryInputError('workspaceId', 'must be empty for an ADMIN token (it sees every workspace)');
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const { rows } = await db.query<{ id: number }>(
        'INSERT INTO api_tokens (label, role, workspace_id, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [input.label || null, input.role, workspaceId, hashToken(token), new Date(clock.now())],
      );
      return { id: rows[0].id, token };
    },

    async verify(token) {
      if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX)) return null;
      const { rows } = await db.query<TokenRow>(
        'SELECT id, role, workspace_id, label, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
        [hashToken(token)],
      );
      const row = rows[0];
      if (!row) return null;
      touch(row.id, row.last_used_at);
      return { id: row.id, role: row.role, workspaceId: row.workspace_id, label: row.label };
    },

    async revoke(id) {
      const { rows } = await db.query('UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id, new Date(clock.now())]);
      return rows.length > 0;
    },

    async list() {
      const { rows } = await db.query<TokenRow>('SELECT id, role, workspace_id, label, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY id');
      return rows.map((r) => ({
        id: r.id, role: r.role, workspaceId: r.workspace_id, label: r.label,
        createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at),
      }));
    },

    async settle() {
      await Promise.all([...pending]);
    },
  };
}
