/**
 * The request pipeline: control API, routing, auth, rate limit, then the answer computed at arrival
 * and delivered after the planned latency, possibly replaced or damaged by a fault.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { KeyStore } from './auth';
import { keyLabel } from './auth';
import type { Counters } from './counters';
import { applyDrift, stringlyNumbers } from './drift';
import type { FaultEngine } from './faults';
import { errorJson, htmlErrorPage, parseJsonObject, readBody, send, sendJson } from './http-io';
import type { RateLimiter } from './rate-limit';
import { matchRoute, notFound } from './routes';
import type { World } from './world';

export interface Pipeline {
  world: World;
  keys: KeyStore;
  faults: FaultEngine;
  limiter: RateLimiter;
  counters: Counters;
  now(): number;
  /** Answers `/__control/*`; null when the path is not a control route. */
  control(method: string, url: URL, body: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
}

export interface SimulatorServer {
  server: Server;
  /** Ends hung requests, pending latencies and every socket at once. */
  close(): Promise<void>;
}

export function createSimulatorServer(p: Pipeline): SimulatorServer {
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number) => new Promise<void>((resolve) => {
    if (ms <= 0) return resolve();
    const t = setTimeout(() => (timers.delete(t), resolve()), ms);
    timers.add(t);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const body = parseJsonObject(await readBody(req));
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__control/')) {
      const answer = await p.control(method, url, body);
      return sendJson(res, answer.status, answer.body);
    }
    const at = p.now();
    const traceparent = typeof req.headers.traceparent === 'string' ? { traceparent: req.headers.traceparent } : {};
    const match = matchRoute(method, url.pathname);
    if (!match) {
      p.counters.record({ endpoint: 'unknown', workspaceId: null, key: null, status: 404, at, ...traceparent });
      return sendJson(res, 404, notFound('The route could not be found.').body);
    }
    const endpoint = match.route.endpoint;
    const key = p.keys.authenticate(req.headers.authorization);
    if (!key) {
      p.counters.record({ endpoint, workspaceId: null, key: null, status: 401, at, ...traceparent });
      return sendJson(res, 401, { message: 'Unauthenticated.' });
    }
    const label = keyLabel(key);
    const rate = p.limiter.take(label);
    const headers: Record<string, string> = rate ? { 'X-RateLimit-Limit': String(rate.limit), 'X-RateLimit-Remaining': String(rate.remaining) } : {};
    const workspaceId = p.keys.workspaceOf(key);
    const record = (status: number | 'reset' | 'hang') => p.counters.record({ endpoint, workspaceId, key: label, status, at, query: url.search, ...traceparent });
    if (rate && !rate.allowed) {
      record(429);
      return sendJson(res, 429, { message: 'Too Many Attempts.' }, { ...headers, 'Retry-After': String(rate.retryAfterSeconds) });
    }
    const plan = p.faults.plan(endpoint, workspaceId);
    // The answer is computed now, on arrival: a super-admin request sees the workspace current now.
    const answer = plan.outcome === 'ok' || plan.outcome === 'malformed'
      ? match.route.handle({ world: p.world, keys: p.keys, key, workspaceId, query: url.searchParams, body, origin: url.origin, params: match.params })
      : null;
    if (plan.outcome === 'hang') return record('hang'); // never answered; close() ends the socket
    await later(plan.latencyMs);
    if (plan.outcome === 'reset') {
      record('reset');
      req.socket.destroy();
      return;
    }
    if (plan.outcome === 'error' || !answer) {
      record(plan.errorStatus);
      if (plan.html) return send(res, plan.errorStatus, htmlErrorPage(plan.errorStatus), 'text/html; charset=UTF-8', headers);
      return sendJson(res, plan.errorStatus, errorJson(plan.errorStatus), headers);
    }
    record(answer.status);
    let out = answer.body;
    if (answer.status === 200 && plan.drift) out = applyDrift(out, endpoint, plan.drift);
    if (answer.status === 200 && plan.stringly && endpoint.endsWith('/stats')) out = stringlyNumbers(out);
    const text = JSON.stringify(out);
    if (plan.outcome === 'malformed' && answer.status === 200) {
      return send(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))), 'application/json', headers);
    }
    send(res, answer.status, text, 'application/json', headers);
  }

  const server = createServer({ keepAlive: true }, (req, res) => {
    p.counters.requestStarted();
    res.on('close', () => p.counters.requestEnded());
    handle(req, res).catch((err: unknown) => {
      sendJson(res, 500, { message: `simulator error: ${err instanceof Error ? err.message : String(err)}` });
    });
  });
  server.keepAliveTimeout = 5_000;

  return {
    server,
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
