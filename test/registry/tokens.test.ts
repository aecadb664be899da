import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTokenStore, RegistryInputError, type TokenStore } from '../../src/sources/registry';
import { backends, withDatabase, type TestDatabase } from '../support/databases';

describe.each(backends)('API tokens on %s', (kind) => {
  let t: TestDatabase;
  let clock: ManualClock;
  let tokens: TokenStore;
  beforeAll(async () => {
    t = await withDatabase(kind);
    clock = new ManualClock('2026-03-01T09:00:00Z');
    tokens = createTokenStore(t.db, clock);
  });
  afterAll(() => t.cleanup());

  it('mints a token shown once and stores only its hash', async () => {
    const { id, token } = await tokens.create({ role: 'ADMIN', label: 'ops laptop' });
    expect(token).toMatch(/^bgw_[A-Za-z0-9_-]{43}$/);
    const { rows } = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens WHERE id = $1', [id]);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].token_hash).not.toContain(token.slice(4));
    expect(await tokens.verify(token)).toEqual({ id, role: 'ADMIN', workspaceId: null, label: 'ops laptop' });
  });

  it('binds a CLIENT token to its workspace and rejects one without', async () => {
    const { id, token } = await tokens.create({ role: 'CLIENT', workspaceId: 37 });
    expect(await tokens.verify(token)).toEqual({ id, role: 'CLIENT', workspaceId: 37, label: null });
    const error = await tokens.create({ role: 'CLIENT' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryInputError);
    expect((error as RegistryInputError).field).toBe('workspaceId');
    await expect(tokens.create({ role: 'ADMIN', workspaceId: 37 })).rejects.toThrow(/must be empty for an ADMIN token/);
    await expect(tokens.create({ role: 'OWNER' as never })).rejects.toThrow(/role/);
    // The table enforces it too.
    await expect(t.db.query("INSERT INTO api_tokens (role, token_hash) VALUES ('CLIENT', 'x')")).rejects.toThrow(/api_tokens_workspace_matches_role/);
  });

  it('rejects unknown, malformed and revoked tokens', async () => {
    const { id, token } = await tokens.create({ role: 'ADMIN' });
    expect(await tokens.verify('bgw_' + 'A'.repeat(43))).toBeNull();
    expect(await tokens.verify(token.slice(4))).toBeNull();
    expect(await tokens.verify('')).toBeNull();
    expect(await tokens.revoke(id)).toBe(true);
    expect(await tokens.revoke(id)).toBe(false);
    expect(await tokens.verify(token)).toBeNull();
  });

  it('records last use at most once a minute', async () => {
    const { id, token } = await tokens.create({ role: 'ADMIN', label: 'usage' });
    const lastUsed = async () => (await tokens.list()).find((x) => x.id === id)!.lastUsedAt;
    expect(await lastUsed()).toBeNull();

    await tokens.verify(token);
    await tokens.settle();
    expect(await lastUsed()).toBe('2026-03-01T09:00:00.000Z');

    clock.advance(30_000);
    await tokens.verify(token);
    await tokens.settle();
    expect(await lastUsed()).toBe('2026-03-01T09:00:00.000Z');

    clock.advance(31_000);
    await tokens.verify(token);
    await tokens.settle();
    expect(await lastUsed()).toBe('2026-03-01T09:01:01.000Z');
  });

  it('lists tokens without their hashes', async () => {
    const list = await tokens.list();
    expect(list.length).toBeGreaterThanOrEqual(4);
    expect(list[0]).toEqual({ id: expect.any(Number), role: 'ADMIN', workspaceId: null, label: 'ops laptop', createdAt: '2026-03-01T09:00:00.000Z', lastUsedAt: expect.any(String), revokedAt: null });
    expect(JSON.stringify(list)).not.toMatch(/[0-9a-f]{64}/);
    expect(list.some((x) => x.revokedAt !== null)).toBe(true);
  });
});
