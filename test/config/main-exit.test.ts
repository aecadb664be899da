/**
 * `npm start` with a bad setting stops before starting anything: exit code 2, the message on
 * stderr, nothing on stdout (no simulator, no server, no token printed).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Only what npx needs to run, plus the setting under test: no configuration leaks in from the test run.
    const base = Object.fromEntries(['PATH', 'HOME', 'npm_config_cache'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
    const child = spawn('npx', ['tsx', 'src/main.ts'], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A process that did start would keep running: stop it and let the assertions say so.
    const guard = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('src/main.ts with a bad configuration', () => {
  it('exits with code 2 and prints every problem to stderr', async () => {
    const { code, stdout, stderr } = await runMain({ PORT: 'eighty', WEBHOOK_SECRET: 'hunter2' });
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr).toContain('Invalid configuration:');
    expect(stderr).toContain('  - PORT: got "eighty", wants an integer from 0 to 65535');
    expect(stderr).toContain('  - WEBHOOK_SECRET: got a value of 7 characters (hidden), wants at least 16 characters');
    expect(stderr).not.toContain('hunter2');
  }, 30_000);
});
