/**
 * The directory resolves the keys of a cold dashboard's workspaces together: one database query
 * for all stored keys (a DataLoader in key-minting.ts) and the client records from the held list
 * of active clients, instead of two queries per workspace in a row (PGlite runs one at a time, so
 * the last workspace's upstream calls waited for all the others' lookups).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock';
import { silentLogger } from '../../src/monitoring/logger';
import { createClientDirectory } from '../../src/server/directory';
import type { Db } from '../../src/sources/db/types';
import { createRegistry, createSecretBox } from '../../src/sources/registry';
import { createKeyMinting } from '../../src/sources/registry/key-minting';
import { backends, withDatabase, type TestDatabase } from '../support/databases';

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
});
