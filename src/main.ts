/**
 * `npm start`: validate the configuration, start the gateway and serve it. With nothing
 * configured it runs on its embedded defaults (the built-in Email Bison simulator, PGlite in
 * memory, an in-memory cache) and says so in one clear line.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './config';
import { createGateway } from './server/gateway';
import { listen } from './server/http';
import { attachWebSockets } from './server/ws';
import { createLogger } from './monitoring/logger';
import { startBanner } from './server/banner';
import { tracingOff } from './monitoring/tracing';
import { startSimulator } from './simulator';
import { DependencyError } from './sources/dependencies';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  // The OpenTelemetry SDK is loaded only when tracing is on (OTEL_* variables).
  const tracing = config.tracing
    ? (await import('./monitoring/tracing-sdk')).startTracingSdk({ config: config.tracing, logger, global: true })
    : tracingOff;
  const demo = config.emailBison === null;
  const simulator = demo
    ? await startSimulator({ port: 0, host: '127.0.0.1', latencyMs: config.simulatorLatencyMs })
    : null;
  const adminToken = config.adminToken ?? (demo ? `demo_${randomBytes(24).toString('base64url')}` : null);
  // Demo mode: the simulator posts Email Bison webhooks to us, so dashboards visibly move.
  const webhookSecret = config.webhookSecret ?? (demo ? randomBytes(24).toString('base64url') : null);

  const gateway = await createGateway({
    config: { ...config, adminToken, webhookSecret },
    logger,
    upstream: simulator
      ? { url: simulator.url, superAdminKey: simulator.superAdminKey, demoApiKeys: simulator.apiKeys }
      : { url: config.emailBison!.url, superAdminKey: config.emailBison!.apiKey },
    graphiqlToken: demo ? adminToken : null,
    tracing,
  });
  const server = await listen(gateway.handle, config.port, config.host, { keepAliveTimeoutMs: config.keepAliveTimeoutMs });
  attachWebSockets(server, gateway.webSockets); // graphql-ws on /graphql; closed with the server

  // SIGTERM drains (DESIGN.md, "Dependencies fail soft"): /ready turns 503 and subscriptions
  // complete at once, no new connection is accepted, requests in flight get SHUTDOWN_GRACE_MS to
  // finish, then background work stops, monitoring is flushed and the process exits 0. Handled as
  // soon as the server listens: a signal during start-up (minting, priming) drains too.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: draining requests in flight');
    try {
      gateway.drain();
      await server.close({ graceMs: config.shutdownGraceMs });
      await gateway.close();
      await tracing.shutdown(); // exports the spans still batched
      await simulator?.close();
      logger.info({ monitoring: gateway.services.recorder.stats() }, 'stopped');
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown did not complete cleanly');
      process.exitCode = 1;
    }
    process.exit();
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await gateway.start();
  if (simulator && webhookSecret && !closing) {
    simulator.control.subscribeWebhooks({ url: `${server.url}/webhooks/email-bison`, secret: webhookSecret });
    simulator.control.startWebhookStream({ perSecond: 0.5 });
  }

  // The banner can say whether minting works once the first mint settled (bounded: a slow upstream must not hide it).
  await gateway.services.keys.probed(15_000);
  if (closing) return;
  const lines = startBanner({
    config: { ...config, adminToken },
    serverUrl: server.url,
    demo: simulator && adminToken ? { simulatorUrl: simulator.url, adminToken } : null,
    discovery: gateway.services.discovery?.last() ?? null,
    keys: await gateway.services.keys.status(),
    activeClients: (await gateway.services.registry.list({ activeOnly: true })).length,
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  // A configured Postgres or Redis that cannot be used is a setting to fix, like a bad value: code 2.
  if (err instanceof DependencyError) {
    process.stderr.write(`bison-gateway cannot start: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`bison-gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
