/**
 * `npm run simulator -- --port 4010 --seed demo --latency 1200-1500 --workspaces 27 --mailboxes 4500 --rate 60/10 [--no-minting]`
 * Each flag also reads an environment variable (SIMULATOR_PORT, SIMULATOR_SEED, SIMULATOR_LATENCY_MS,
 * SIMULATOR_WORKSPACES, SIMULATOR_MAILBOXES, SIMULATOR_RATE_LIMIT); flags win.
 */
import { parseArgs } from 'node:util';
import { startSimulator, type LatencySpec, type RateLimitOptions } from './index';

function fail(message: string): never {
  process.stderr.write(`simulator: ${message}\n`);
  process.exit(2);
}

function int(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) fail(`${name}: got ${JSON.stringify(text)}, wants a whole number`);
  return n;
}

function latency(text: string | undefined): LatencySpec {
  if (!text) return 0;
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) fail(`latency: got ${JSON.stringify(text)}, wants milliseconds like 200 or 1200-1500`);
  return m[2] ? { min: Number(m[1]), max: Number(m[2]) } : Number(m[1]);
}

function rate(text: string | undefined): RateLimitOptions | false | undefined {
  if (!text) return undefined;
  if (text === 'off') return false;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) fail(`rate: got ${JSON.stringify(text)}, wants PER_MINUTE/BURST like 60/10, or off`);
  return { perMinute: Number(m[1]), burst: Number(m[2]) };
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' }, latency: { type: 'string' },
    workspaces: { type: 'string' }, mailboxes: { type: 'string' }, rate: { type: 'string' }, 'no-minting': { type: 'boolean' }, help: { type: 'boolean' },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm run simulator -- [--port N] [--host H] [--seed S] [--latency MS|MIN-MAX] [--workspaces N] [--mailboxes N] [--rate PER_MIN/BURST|off] [--no-minting]\n');
  process.exit(0);
}
const env = process.env;
const sim = await startSimulator({
  port: int('port', values.port ?? env.SIMULATOR_PORT, 4010),
  host: values.host ?? env.SIMULATOR_HOST ?? '127.0.0.1',
  seed: values.seed ?? env.SIMULATOR_SEED ?? 'bison',
  latencyMs: latency(values.latency ?? env.SIMULATOR_LATENCY_MS),
  workspaces: int('workspaces', values.workspaces ?? env.SIMULATOR_WORKSPACES, 27),
  mailboxes: int('mailboxes', values.mailboxes ?? env.SIMULATOR_MAILBOXES, 4500),
  rateLimit: rate(values.rate ?? env.SIMULATOR_RATE_LIMIT),
  minting: !values['no-minting'],
}).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));

const first = sim.world.workspaces[1] ?? sim.world.workspaces[0];
process.stdout.write([
  `Email Bison simulator listening on ${sim.url} (${sim.world.workspaces.length} workspaces)`,
  `Super-admin key: ${sim.superAdminKey}`,
  `Api-user key for workspace ${first.id} (${first.name}): ${sim.apiKeys.get(first.id)}`,
  '',
  `Try:  curl -H "Authorization: Bearer ${sim.superAdminKey}" ${sim.url}/api/workspaces/v1.1`,
  'Point the gateway at it (it registers every workspace and mints one api-user key each, stored encrypted):',
  `  EMAIL_BISON_URL=${sim.url} EMAIL_BISON_API_KEY='${sim.superAdminKey}' \\`,
  `  GATEWAY_ADMIN_TOKEN=$(openssl rand -hex 24) ENCRYPTION_KEY=$(openssl rand -base64 32) npm start`,
  ...(values['no-minting'] ? ['Minting api-user keys is refused here (--no-minting): the gateway falls back to the super-admin key.'] : []),
  '',
  'Control API (JSON, no auth):',
  `  curl ${sim.url}/__control/counters?recent=0`,
  `  curl -X POST ${sim.url}/__control/faults -d '{"add":{"endpoint":"/api/workspaces/v1.1/stats","errorRate":0.2,"errorStatus":503}}'`,
  `  curl -X POST ${sim.url}/__control/heal                     # removes every fault, nothing else`,
  `  curl -X POST ${sim.url}/__control/clock -d '{"advanceMs":86400000}'`,
  `  curl -X POST ${sim.url}/__control/webhooks -d '{"url":"http://127.0.0.1:4000/webhooks/email-bison","secret":"..."}'`,
  `  curl -X POST ${sim.url}/__control/webhooks/stream -d '{"perSecond":5}'`,
  `  curl -X POST ${sim.url}/__control/workspaces -d '{"name":"New Client"}'   # rename: POST /__control/workspaces/ID, delete: DELETE`,
  `  curl -X POST ${sim.url}/__control/minting -d '{"enabled":false}'          # the instance refuses to mint api-user keys (403)`,
  `  curl -X POST ${sim.url}/__control/reset                    # data, counters and faults back to start`,
  '',
].join('\n'));

const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
