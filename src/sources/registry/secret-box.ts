/**
 * AES-256-GCM for secrets at rest (Email Bison api-user keys). A sealed value reads
 * `v1:<iv>:<tag>:<ciphertext>` (base64); the version prefix leaves room to rotate the scheme.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Db } from '../db/types';
import { EncryptionKeyError } from './errors';

export interface SecretBox {
  encrypt(plaintext: string): string;
  /** Throws EncryptionKeyError when the value was sealed with another key or was altered. */
  decrypt(sealed: string): string;
}

const VERSION = 'v1';
const IV_BYTES = 12;

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error(`ENCRYPTION_KEY must be 32 bytes, got ${key.length}`);
  return {
    encrypt(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
    },
    decrypt(sealed) {
      const [version, iv, tag, ciphertext] = sealed.split(':');
      if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
        throw new EncryptionKeyError(`A stored secret is not in the ${VERSION}:iv:tag:ciphertext format`);
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new EncryptionKeyError(MISMATCH);
      }
    },
  };
}

const MISMATCH =
  'ENCRYPTION_KEY does not match the key the stored Email Bison keys were encrypted with. ' +
  'Start with the original ENCRYPTION_KEY (or clear the stored keys and enter them again).';

const CHECK_PLAINTEXT = 'bison-gateway encryption key check';

/**
 * Run at start. First run with a key: stores a sealed known value. Later runs: a different key
 * fails here, loudly, rather than at the first upstream call. Without a key, fails only when
 * sealed keys are stored (they could not be used).
 */
export async function verifyEncryptionKey(db: Pick<Db, 'query'>, box: SecretBox | null): Promise<void> {
  if (!box) {
    const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM clients WHERE api_key_ciphertext IS NOT NULL');
    if (rows[0].n > 0) {
      throw new EncryptionKeyError(
        `ENCRYPTION_KEY is not set, but ${rows[0].n} Email Bison key(s) are stored encrypted. ` +
          'Set ENCRYPTION_KEY to the key they were encrypted with.',
      );
    }
    return;
  }
  // Replicas may race on the first run: ON CONFLICT keeps the first row, and every replica checks that one.
  await db.query('INSERT INTO encryption_key_check (ciphertext) VALUES ($1) ON CONFLICT (id) DO NOTHING', [box.encrypt(CHECK_PLAINTEXT)]);
  const { rows } = await db.query<{ ciphertext: string }>('SELECT ciphertext FROM encryption_key_check');
  let opened: string;
  try {
    opened = box.decrypt(rows[0].ciphertext);
  } catch {
    throw new EncryptionKeyError(MISMATCH);
  }
  if (opened !== CHECK_PLAINTEXT) throw new EncryptionKeyError(MISMATCH);
  // Keys sealed before the check row existed (or by a tool that skipped it) must open too.
  const sample = await db.query<{ ciphertext: string }>('SELECT api_key_ciphertext AS ciphertext FROM clients WHERE api_key_ciphertext IS NOT NULL LIMIT 1');
  if (sample.rows[0]) box.decrypt(sample.rows[0].ciphertext);
}
