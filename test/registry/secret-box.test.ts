import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry, createSecretBox, EncryptionKeyError, verifyEncryptionKey } from '../../src/sources/registry';
import { backends, withDatabase, type TestDatabase } from '../support/databases';

describe('secret box', () => {
  const box = createSecretBox(randomBytes(32));

  it('round-trips, with a fresh IV each time', () => {
    const a = box.encrypt('12|secret-value');
    const b = box.encrypt('12|secret-value');
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(box.decrypt(a)).toBe('12|secret-value');
  });

  it('detects a tampered ciphertext and another key, without leaking the value', () => {
    const sealed = box.encrypt('12|secret-value');
    const [v, iv, tag, ct] = sealed.split(':');
    const flipped = Buffer.from(ct, 'base64');
    flipped[0] ^= 1;
    expect(() => box.decrypt([v, iv, tag, flipped.toString('base64')].join(':'))).toThrow(EncryptionKeyError);
    const error = (() => {
      try {
        createSecretBox(randomBytes(32)).decrypt(sealed);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/ENCRYPTION_KEY does not match/);
    expect(error?.message).not.toContain('secret-value');
  });

  it('wants a 32-byte key', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes, got 16/);
  });
});

describe.each(backends)('verifyEncryptionKey on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await withDatabase(kind);
  });
  afterEach(() => t.cleanup());

  it('accepts the same key on every start and refuses a different one', async () => {
    const key = randomBytes(32);
    await verifyEncryptionKey(t.db, createSecretBox(key));
    await verifyEncryptionKey(t.db, createSecretBox(Buffer.from(key)));
    const error = await verifyEncryptionKey(t.db, createSecretBox(randomBytes(32))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EncryptionKeyError);
    expect((error as Error).message).toMatch(/ENCRYPTION_KEY does not match the key the stored Email Bison keys were encrypted with/);
    expect((error as Error).message).not.toContain(key.toString('base64'));
  });

  it('without a key: fine while no keys are stored, a clear error once some are', async () => {
    await verifyEncryptionKey(t.db, null);
    await createRegistry(t.db, createSecretBox(randomBytes(32))).upsert({ workspaceId: 3, name: 'Acme', apiKey: '12|abcdefghijkl' });
    await expect(verifyEncryptionKey(t.db, null)).rejects.toThrow(/ENCRYPTION_KEY is not set, but 1 Email Bison key\(s\) are stored encrypted/);
  });

  it('refuses a key that cannot open keys stored before the check row existed', async () => {
    await createRegistry(t.db, createSecretBox(randomBytes(32))).upsert({ workspaceId: 3, name: 'Acme', apiKey: '12|abcdefghijkl' });
    await expect(verifyEncryptionKey(t.db, createSecretBox(randomBytes(32)))).rejects.toThrow(EncryptionKeyError);
  });
});
