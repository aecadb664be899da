/**
 * A snapshot of a freshly initialised (empty) PGlite cluster, so an in-memory database can be
 * loaded from it instead of running initdb: initdb dominates PGlite's start-up time. The snapshot is made once per PGlite build and kept in the system's
 * temporary directory; it holds no data of ours (migrations run after loading).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

let pending: Promise<Blob | undefined> | null = null;

/** Names the snapshot after the installed PGlite build, so an upgrade never loads an old one. */
async function snapshotPath(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const { size, mtimeMs } = await stat(entry);
  const build = createHash('sha256').update(`${entry}:${size}:${mtimeMs}`).digest('hex').slice(0, 12);
  return join(tmpdir(), `bison-gateway-pglite-${build}.tar.gz`);
}

async function loadOrMake(): Promise<Blob | undefined> {
  try {
    const path = await snapshotPath();
    try {
      return new Blob([await readFile(path)]);
    } catch {
      const pg = await PGlite.create();
      const dump = await pg.dumpDataDir('gzip');
      await pg.close();
      // Write then rename, so a concurrent process never reads half a file.
      const partial = `${path}.${process.pid}.${Date.now()}`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, path);
      return dump;
    }
  } catch {
    return undefined; // no snapshot: PGlite runs initdb as usual
  }
}

/** The empty-cluster snapshot, or undefined when none can be made (PGlite then initialises itself). */
export function freshClusterTemplate(): Promise<Blob | undefined> {
  pending ??= loadOrMake();
  return pending;
}
