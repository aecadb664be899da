/**
 * `npm run cluster -- [--port 4000] [--replicas 3] [--workspaces 27]`: three replicas of the built
 * gateway behind a round-robin load balancer, on a throwaway Redis and a throwaway Postgres (or
 * REDIS_URL / DATABASE_URL when set), in front of the Email Bison simulator. Ctrl-C stops it all.
 * The parts are started by scripts/cluster-lib.ts.
 */
import { parseArgs } from 'node:util';
import { startCluster } from './cluster-lib';

const { values } = parseArgs({ options: { port: { type: 'string' }, replicas: { type: 'string' }, workspaces: { type: 'string' }, help: { type: 'boolean' } } });
if (values.help) {
  process.stdout.write('Usage: npm run cluster -- [--port 4000] [--replicas 3] [--workspaces 27]\n');
  process.exit(0);
}
const int = (name: string, text: string | undefined, fallback: number, min: number) => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`cluster: --${name}: got ${JSON.stringify(text)}, wants a whole number from ${min}\n`);
    process.exit(2);
  }
  return n;
};

const cluster = await startCluster({
  port: int('port', values.port, 4000, 0),
  replicas: int('replicas', values.replicas, 3, 1),
  workspaces: int('workspaces', values.workspaces, 27, 2),
  // The settings worth trying on a cluster pass through from this shell; nothing else does.
  env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] =>
    e[1] !== undefined && /^(ALERT_WEBHOOK_URL|LOG_LEVEL|RATE_LIMIT_PER_MINUTE|BUSINESS_TIMEZONE|UPSTREAM_[A-Z_]+|CACHE_TTL_[A-Z_]+)$/.test(e[0]))),
  adminToken: process.env.GATEWAY_ADMIN_TOKEN || null,
  encryptionKey: process.env.ENCRYPTION_KEY || null,
  databaseUrl: process.env.DATABASE_URL || null,
  redisUrl: process.env.REDIS_URL || null,
}).catch((err: unknown) => {
  process.stderr.write(`cluster: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

process.stdout.write([
  '',
  `bison-gateway cluster: ${cluster.replicas.length} replicas behind a round-robin load balancer`,
  `GraphiQL (balancer): ${cluster.url}/graphql`,
  ...cluster.replicas.map((r) => `Replica ${r.index + 1}:          ${r.url}/graphql  (pid ${r.pid}; ${r.url}/ready)`),
  `Admin token:        ${cluster.adminToken}`,
  `Email Bison (sim):   ${cluster.simulator.url}  (control API under /__control/)`,
  `Redis:               ${cluster.redisUrl}`,
  `Postgres:            ${cluster.databaseUrl.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@')}`,
  '',
  `Try:  curl -s ${cluster.url}/graphql -H "authorization: Bearer ${cluster.adminToken}" -H 'content-type: application/json' \\`,
  `        -d '{"query":"{ kpi { totals { clients leadsGenerated } } }"}' -D - -o /dev/null | grep -i x-bison-replica`,
  'Ctrl-C stops everything.',
  '',
].join('\n'));

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`cluster: ${signal}: stopping the balancer, the replicas, the simulator, Redis and Postgres\n`);
  void cluster.stop().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
