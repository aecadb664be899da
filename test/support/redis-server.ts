/**
 * A throwaway redis-server of our own on a random free port, to kill and restart: never the shared
 * one. `kill()` is kill -9 (no goodbye, no persistence: it comes back empty, like a crashed
 * instance without AOF); `start()` brings it back on the same port.
 *
 *   const redis = await startRedisServer();
 *   ... REDIS_URL = redis.url ...
 *   await redis.kill();  await redis.start();  redis.freeze();  redis.thaw();  await redis.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, ping } from '../../scripts/cluster-lib';

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
  /** (Re)starts on the same port; resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: the server hangs (connections stay open, nothing answers), then carries on. */
  freeze(): void;
  thaw(): void;
  /** Stops it for good (SIGKILL, then nothing left behind). */
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    const until = Date.now() + 10_000;
    while (!(await ping(port))) {
      if (Date.now() > until) throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function kill(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    stop: kill,
  };
}

/** Commands the server executed so far, INFO itself left out. */
export async function commandsExecuted(url: string): Promise<number> {
  const redis = new Redis(url);
  try {
    const info = await redis.info('commandstats');
    let total = 0;
    for (const [, name, calls] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (name !== 'info') total += Number(calls);
    return total;
  } finally {
    redis.disconnect();
  }
}
