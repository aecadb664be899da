/**
 * Applies `sql/NNN_name.sql` files in numeric order, each exactly once and in its own transaction,
 * recorded with a checksum in `schema_migrations`. Several replicas may start at once: every step
 * holds a transaction-scoped advisory lock, so one applies and the others then see it applied.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './types';

/**
 * The package's `sql/` folder: the nearest ancestor of this module holding `package.json` and
 * `sql/`. The same rule finds it from src/sources/db (tsx, tests) and from the dist/ bundle.
 */
export function findMigrationsDir(moduleUrl: string): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'sql'))) return join(dir, 'sql');
    if (dirname(dir) === dir) return join(start, 'sql'); // none: readdir's error then names where it looked
  }
}

export const DEFAULT_MIGRATIONS_DIR = findMigrationsDir(import.meta.url);

const FILE_PATTERN = /^(\d{3})_[A-Za-z0-9_-]+\.sql$/;

// One lock per schema, so isolated test schemas on one server do not wait for each other.
const LOCK = `SELECT pg_advisory_xact_lock(hashtext('bison-gateway:migrate:' || current_schema()))`;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  /** File names applied by this call, in order. */
  applied: string[];
  /** How many files were already applied before. */
  alreadyApplied: number;
}

export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const match = FILE_PATTERN.exec(name);
    if (!match) throw new MigrationError(`Migration file ${name} must be named NNN_name.sql (three digits, then a name)`);
    const version = Number(match[1]);
    const twin = files.find((f) => f.version === version);
    if (twin) throw new MigrationError(`Migrations ${twin.name} and ${name} share the number ${match[1]}; give one a new number`);
    const sql = await readFile(join(dir, name), 'utf8');
    files.push({ version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return files;
}

export async function migrate(db: Db, dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = await readMigrations(dir);
  const applied: string[] = [];
  let alreadyApplied = 0;
  // The table is created under the lock too: concurrent CREATE TABLE IF NOT EXISTS can collide.
  await db.transaction(async (tx) => {
    await tx.query(LOCK);
    await tx.exec(CREATE_TABLE);
  });
  for (const file of files) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query(LOCK);
      const { rows } = await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE version = $1', [file.version]);
      if (rows[0]) {
        assertUnchanged(file, rows[0].checksum);
        return false;
      }
      try {
        await tx.exec(file.sql);
      } catch (err) {
        throw new MigrationError(`Migration ${file.name} failed and was rolled back: ${(err as Error).message}`);
      }
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [file.version, file.name, file.checksum]);
      return true;
    });
    if (didApply) applied.push(file.name);
    else alreadyApplied++;
  }
  return { applied, alreadyApplied };
}

function assertUnchanged(file: MigrationFile, storedChecksum: string): void {
  if (storedChecksum === file.checksum) return;
  throw new MigrationError(
    `Migration ${file.name} was changed after it was applied to this database ` +
      `(stored checksum ${storedChecksum.slice(0, 12)}…, file now ${file.checksum.slice(0, 12)}…). ` +
      'Applied migrations are immutable: restore the file and put the change in a new numbered migration.',
  );
}
