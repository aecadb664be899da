/**
 * The directory resolves the keys of a cold dashboard's workspaces together: one database query
 * for all stored keys (a DataLoader in key-minting.ts) and the client records from the held list
 * of active clients, instead of two queries per workspace in a row (PGlite runs one at a time, so
 * the last workspace's upstream calls waited for all the others' lookups).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ManualClock, systemClock } from '../../src/clock';
import type { Principal } from '../../src/access';
import { silentLogger } from '../../src/monitoring/logger';
import { createClientDirectory } from '../../src/server/directory';
import type { Db } from '../../src/sources/db/types';
import { createRegistry, createSecretBox } from '../../src/sources/registry';
import { createKeyMinting } from '../../src/sources/registry/key-minting';
import { backends, withDatabase, type TestDatabase } from '../support/databases';

const ADMIN: Principal = { role: 'ADMIN', tokenId: null, workspaceId: null };

describe.each(backends)('directory access on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await withDatabase(kind);
  });
  afterAll(() => t.cleanup());

  it('resolves 12 workspaces with one query for their keys and one for the clients', async () => {
    const box = createSecretBox(randomBytes(32));
    const registry = createRegistry(t.db, box);
    for (let id = 1; id <= 12; id++) await registry.upsert({ workspaceId: id, name: `Client ${id}`, ...(id % 3 ? { apiKey: `${id}|key-of-workspace-${id}` } : {}) });
    const queries: string[] = [];
    const counted: Db = { ...t.db, query: (sql, params) => (queries.push(sql), t.db.query(sql, params)) };
    const keys = createKeyMinting({ db: counted, box, mint: null, enabled: false, instanceId: 'test', clock: systemClock, logger: silentLogger });
    const directory = createClientDirectory({ registry: createRegistry(counted, box), baseUrl: 'http://upstream.test', superAdminKey: 'super', clock: systemClock, keyFor: (id) => keys.keyFor(id) });

    const access = await Promise.all(Array.from({ length: 12 }, (_, i) => directory.access(i + 1)));
    expect(access.map((a) => a?.kind)).toEqual(Array.from({ length: 12 }, (_, i) => ((i + 1) % 3 ? 'api-user' : 'super-admin')));
    expect(access[0]).toEqual({ baseUrl: 'http://upstream.test', key: '1|key-of-workspace-1', kind: 'api-user' });
    expect(queries.filter((q) => q.includes('api_key_ciphertext AS c'))).toHaveLength(1);
    expect(queries).toHaveLength(2); // the keys, and the active clients (held for the directory TTL)
  });

  it('load() reads the clients, their stored keys and the overrides ahead of the first dashboard, which then makes no query (and mints nothing)', async () => {
    const own = await withDatabase(kind); // a registry of its own: only these two clients
    onTestFinished(() => own.cleanup());
    const box = createSecretBox(randomBytes(32));
    const registry = createRegistry(own.db, box);
    await registry.upsert({ workspaceId: 101, name: 'Keyed', apiKey: '101|key-of-workspace-101' });
    await registry.upsert({ workspaceId: 102, name: 'Keyless' });
    const queries: string[] = [];
    const counted: Db = { ...own.db, query: (sql, params) => (queries.push(sql), own.db.query(sql, params)) };
    const minted: number[] = [];
    const directory = createClientDirectory({
      registry: createRegistry(counted, box), baseUrl: 'http://upstream.test', superAdminKey: 'super', clock: new ManualClock('2026-12-02T10:00:00Z'),
      keyFor: async (id) => (await createRegistry(counted, box).apiKeyFor(id)) ?? (minted.push(id), null),
    });
    await directory.load();
    expect(minted).toEqual([]);
    const before = queries.length;
    expect((await directory.visible(ADMIN)).map((c) => c.workspaceId)).toEqual([101, 102]);
    expect(await directory.access(101)).toEqual({ baseUrl: 'http://upstream.test', key: '101|key-of-workspace-101', kind: 'api-user' });
    await directory.mailboxOverrides();
    expect(queries.length).toBe(before);
  });

  it('past its TTL the next answer reads the registry again (a write made another way, e.g. another replica\'s discovery); a failed re-read keeps the held list', async () => {
    const box = createSecretBox(randomBytes(32));
    const registry = createRegistry(t.db, box);
    await registry.upsert({ workspaceId: 201, name: 'Before' });
    let down = false;
    const flaky: Db = {
      ...t.db,
      query: async (sql, params) => {
        if (down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return t.db.query(sql, params);
      },
    };
    const clock = new ManualClock('2026-12-02T10:00:00Z');
    const directory = createClientDirectory({ registry: createRegistry(flaky, box), baseUrl: 'http://upstream.test', superAdminKey: null, clock, ttlMs: 5_000 });
    const names = async () => (await directory.visible(ADMIN)).filter((c) => c.workspaceId === 201).map((c) => c.name);
    expect(await names()).toEqual(['Before']);

    await registry.upsert({ workspaceId: 201, name: 'After' }); // written another way: the directory is not told
    clock.advance(4_000);
    expect(await names()).toEqual(['Before']); // within the TTL: held
    clock.advance(2_000);
    expect(await names()).toEqual(['After']); // past it: read again before answering

    down = true;
    clock.advance(6_000);
    expect(await names()).toEqual(['After']); // the database is down: the held list, not an error
  });
});
