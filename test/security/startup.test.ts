/**
 * Stored Email Bison keys and ENCRYPTION_KEY: a gateway whose database holds encrypted keys does
 * not start without the key they were sealed with, and says so without echoing any key.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createGateway } from '../../src/server/gateway';
import { dropSchema } from '../../src/sources/db';
import { TEST_DATABASE_URL } from '../support/databases';
import { createTestGateway } from '../support/gateway';

describe('ENCRYPTION_KEY at start-up, with stored keys (Postgres)', () => {
  const dbSchema = `sec_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const sealedWith = randomBytes(32).toString('base64');
  let simKeys = new Map<number, string>();
  let storedKeys: string[] = [];

  beforeAll(async () => {
    // A first gateway stores the simulator's api-user keys, sealed with `sealedWith`.
    const first = await createTestGateway({ database: 'postgres', dbSchema, sim: { workspaces: 3, mailboxes: 20 }, env: { ENCRYPTION_KEY: sealedWith } });
    simKeys = new Map(first.sim.apiKeys);
    storedKeys = [...simKeys.values()];
    const { rows } = await first.gateway.services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM clients WHERE api_key_ciphertext IS NOT NULL');
    expect(rows[0].n).toBeGreaterThan(0);
    await first.close();
  });
  afterAll(() => dropSchema(TEST_DATABASE_URL, dbSchema));

  const start = (encryptionKey?: string) =>
    createGateway({
      config: loadConfig({ DATABASE_URL: TEST_DATABASE_URL, ...(encryptionKey ? { ENCRYPTION_KEY: encryptionKey } : {}) }),
      dbSchema,
      upstream: { url: 'http://127.0.0.1:9', superAdminKey: null },
    });

  async function startError(encryptionKey?: string): Promise<string> {
    const error = await start(encryptionKey).then(
      async (g) => {
        await g.close();
        return null;
      },
      (err: Error) => err,
    );
    expect(error).toBeInstanceOf(Error);
    return error!.message;
  }

  it('refuses to start without ENCRYPTION_KEY, saying keys are stored', async () => {
    expect(await startError()).toMatch(/ENCRYPTION_KEY is not set, but \d+ Email Bison key\(s\) are stored encrypted/);
  });

  it('refuses to start with another ENCRYPTION_KEY, naming neither key', async () => {
    const wrong = randomBytes(32).toString('base64');
    const message = await startError(wrong);
    expect(message).toMatch(/ENCRYPTION_KEY does not match the key the stored Email Bison keys were encrypted with/);
    for (const secret of [wrong, sealedWith, ...storedKeys]) expect(message).not.toContain(secret);
  });

  it('starts with the original key and opens the stored keys', async () => {
    const gateway = await start(sealedWith);
    try {
      const clients = await gateway.services.registry.list();
      expect(clients.length).toBeGreaterThan(0);
      for (const c of clients) expect(await gateway.services.registry.apiKeyFor(c.workspaceId)).toBe(simKeys.get(c.workspaceId));
    } finally {
      await gateway.close();
    }
  });
});
