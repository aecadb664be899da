/**
 * `npm start` with a bad setting stops before starting anything: exit code 2, the message on
 * stderr, nothing on stdout (no simulator, no server, no token printed). The same for a Postgres
 * or Redis that cannot be reached: within 10 s, before any banner, naming the variable.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A port nothing listens on: bound once by us, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // Only what node needs to run, plus the setting under test: no configuration leaks in from the test run.
    const base = Object.fromEntries(['PATH', 'HOME', 'npm_config_cache'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
    const child = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A process that did start would keep running: stop it and let the assertions say so.
    const guard = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('the gateway (dist/main.js) with a bad configuration', () => {
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

describe('the gateway (dist/main.js) with a configured dependency that is not there', () => {
  it('stops with code 2 naming DATABASE_URL, before any banner', async () => {
    const port = await closedPort();
    const { code, stdout, stderr, ms } = await runMain({ DATABASE_URL: `postgres://gateway:hunter2@127.0.0.1:${port}/gateway` });
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      `bison-gateway cannot start: DATABASE_URL: cannot use Postgres at 127.0.0.1:${port}: connection refused (ECONNREFUSED). Start Postgres or fix DATABASE_URL.`,
    );
    expect(stderr).not.toContain('hunter2');
    expect(ms).toBeLessThan(10_000 + 5_000); // 10 s for the gateway, plus the process start-up on a loaded machine
  }, 30_000);

  it('stops with code 2 naming REDIS_URL, before any banner', async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await runMain({ REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` });
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      `bison-gateway cannot start: REDIS_URL: cannot use Redis at 127.0.0.1:${port}: connection refused (ECONNREFUSED). Start Redis or fix REDIS_URL.`,
    );
    expect(stderr).not.toContain('hunter2');
  }, 30_000);
});
