/**
 * What `npm start` prints once the gateway is ready: where it serves, what it found, which key
 * serves the workspaces, and how to call it. Secrets are never printed, except the demo's own
 * throwaway admin token.
 */
import type { Config } from '../config';
import type { DiscoveryRun } from '../sources/registry/discovery';
import type { KeyStatus } from '../sources/registry/key-status';

export interface BannerInput {
  config: Config;
  /** `http://host:port` the gateway listens on. */
  serverUrl: string;
  /** Demo mode: the built-in simulator's URL and the generated admin token. */
  demo: { simulatorUrl: string; adminToken: string } | null;
  /** The first discovery round (null: it failed, or there is no super-admin key). */
  discovery: DiscoveryRun | null;
  keys: KeyStatus;
  activeClients: number;
}

export function startBanner(b: BannerInput): string[] {
  const { config, serverUrl, demo } = b;
  const stores = `${config.databaseUrl ? 'Postgres' : config.dataDir ? `PGlite under ${config.dataDir}` : 'PGlite in memory'} and ` +
    `${config.redisUrl ? 'Redis' : 'an in-memory cache'}`;
  const lines = demo
    ? [`DEMO MODE: no EMAIL_BISON_URL set, so the gateway serves the built-in Email Bison simulator (${demo.simulatorUrl}), ` +
        `with ${stores}. Set EMAIL_BISON_URL and EMAIL_BISON_API_KEY for real data.`]
    : [`bison-gateway in front of Email Bison at ${config.emailBison!.url}, with ${stores}.`, clientsLine(b), keysLine(b.keys)];
  lines.push(`GraphiQL:  ${serverUrl}/graphql`, `Health:    ${serverUrl}/health  ${serverUrl}/ready  ${serverUrl}/metrics`);
  if (config.tracing) {
    const { exporter, protocol, url } = config.tracing;
    lines.push(`Tracing:   ${exporter === 'console' ? 'spans printed to the console' : `OTLP ${protocol} to ${new URL(url).origin}`}`);
  }
  if (demo) {
    lines.push(`Admin token (demo, this run only; prefilled in GraphiQL): ${demo.adminToken}`);
    lines.push('The simulator sends a webhook every 2 s (new sends, replies, leads): subscribe to freshnessChanged to watch them land.');
    lines.push(`Break the upstream: curl -X POST ${demo.simulatorUrl}/__control/faults -d '{"rules":[{"errorRate":1}]}'  (heal: curl -X POST ${demo.simulatorUrl}/__control/heal)`);
  } else if (config.adminToken) {
    lines.push(`Call the API: curl -s ${serverUrl}/graphql -H "authorization: Bearer $GATEWAY_ADMIN_TOKEN" -H 'content-type: application/json' ` +
      `-d '{"query":"{ kpi { totals { clients leadsGenerated } clients { name leadsGenerated status } errors { workspaceId message } } }"}'`);
  }
  if (!config.adminToken && !demo) lines.push('No GATEWAY_ADMIN_TOKEN set: only tokens minted earlier can call the API. Set GATEWAY_ADMIN_TOKEN (24+ characters) for an admin.');
  return lines;
}

function clientsLine(b: BannerInput): string {
  const every = `discovery every ${b.config.workspaces.discoveryIntervalSeconds} s`;
  if (!b.config.emailBison?.apiKey) return `Clients: ${b.activeClients} active. No EMAIL_BISON_API_KEY: workspaces are not discovered; register clients with upsertClient.`;
  if (!b.discovery) return `Clients: ${b.activeClients} active. Email Bison's workspace list could not be read at start (see the log); ${every} tries again.`;
  const registration = b.config.workspaces.autoRegister
    ? 'every workspace is registered as a client (EMAIL_BISON_AUTO_REGISTER=false to curate the list yourself)'
    : 'auto-registration is off: register clients with upsertClient';
  return `Clients: ${b.activeClients} active of ${b.discovery.listed} Email Bison workspaces; ${registration}; ${every}.`;
}

function keysLine(k: KeyStatus): string {
  const own = `${k.minted + k.own} workspace(s) on their own api-user key (${k.minted} minted by the gateway, stored encrypted)`;
  const rest = k.superAdmin.length;
  if (rest === 0) return `Email Bison keys: ${own}.`;
  switch (k.minting) {
    case 'on':
      return `Email Bison keys: ${own}; minting the other ${rest} in the background.`;
    case 'refused':
      return `Email Bison keys: MINTING REFUSED (403). The super-admin key serves ${rest} workspace(s) one at a time (correct, but slower); ` +
        'give them api-user keys with upsertClient(input: { workspaceId, apiKey }).';
    case 'no-encryption-key':
      return `Email Bison keys: ENCRYPTION_KEY is not set, so no api-user key can be minted and stored; the super-admin key serves ${rest} workspace(s) one at a time. ` +
        'Set ENCRYPTION_KEY (openssl rand -base64 32).';
    case 'off':
      return `Email Bison keys: ${own}; minting is off (EMAIL_BISON_MINT_KEYS=false), so the super-admin key serves ${rest} workspace(s) one at a time.`;
  }
}
