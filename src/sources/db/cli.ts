/** `npm run migrate`: applies pending migrations to DATABASE_URL, or to the PGlite files under DATA_DIR. */
import { ConfigError, loadConfig } from '../../config';
import { migrate, openDb } from './index';

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.databaseUrl && !config.dataDir) {
    process.stderr.write('Nothing to migrate: set DATABASE_URL (Postgres) or DATA_DIR (embedded PGlite files). An in-memory database is migrated at every start.\n');
    return 1;
  }
  const target = config.databaseUrl ? 'Postgres (DATABASE_URL)' : `PGlite under ${config.dataDir}`;
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const { applied, alreadyApplied } = await migrate(db);
    for (const name of applied) process.stdout.write(`applied ${name}\n`);
    process.stdout.write(`${target}: ${applied.length} migration(s) applied, ${alreadyApplied} already up to date\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // ConfigError and MigrationError carry complete, secret-free messages.
    process.stderr.write(`${err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`}\n`);
    process.exit(1);
  },
);
