/** The facts a result is meaningless without: machine, load, date, commit, versions. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { BENCH_DIR, CORES } from './child';

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: BENCH_DIR, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function machineFacts(pinning: string): string[] {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const dirty = git('status', '--porcelain', '--untracked-files=no') ? ' (working tree has uncommitted changes)' : '';
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Commit: ${git('rev-parse', '--short', 'HEAD')} ${git('log', '-1', '--format=%s').slice(0, 100)}${dirty}`,
    `- Machine: ${CORES} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${osType()} ${release()}, Node ${process.version}`,
    `- Load average at start (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`,
    `- Pinning: ${pinning}`,
    '- Gateway: child process, LOG_LEVEL=silent, PGlite in memory, in-memory cache; simulator in the bench process (27 workspaces, latency 1.2–1.5 s uniform, rate limit off)',
  ];
}

export const loadAverage = () => loadavg()[0];
