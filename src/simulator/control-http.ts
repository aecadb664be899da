/**
 * `/__control/*`: the same controls over HTTP (JSON in, JSON out), for the CLI simulator and for
 * tests in another process. No auth: the simulator is a local test double.
 *
 *   GET    /__control/faults                 -> { rules }
 *   POST   /__control/faults                 { rules: [...] } replaces, { add: rule } adds -> { rules }
 *   DELETE /__control/faults[/:id]           clears all or one
 *   POST   /__control/latency                { latencyMs }
 *   POST   /__control/rate-limit             { perMinute, burst } or { enabled: false }
 *   POST   /__control/clock                  { now: ISO } or { advanceMs } -> { now }
 *   GET    /__control/counters               -> counters (add ?recent=0 to omit the request log)
 *   POST   /__control/heal                   removes every fault rule, nothing else -> { healed: n }
 *   POST   /__control/reset                  data, counters, faults, buckets back to start (webhook stream keeps running)
 *   POST   /__control/workspaces             { name, id? } an admin creates a workspace -> { workspace, apiKey }
 *   POST   /__control/workspaces/:id         { name } renames it
 *   DELETE /__control/workspaces/:id         deletes it (its keys answer 401)
 *   GET    /__control/keys                   -> { keys: [{ id, kind, workspaceId, name, minted }] }
 *   POST   /__control/keys/revoke            { workspaceId, token? } -> { revoked }
 *   POST   /__control/minting                { enabled } false: minting api-user keys answers 403
 *   POST   /__control/webhooks               { url, secret?, secretHeader?, secretQuery? } or { url: null }
 *   POST   /__control/webhooks/send          { type, workspaceId?, count? } -> { deliveries }
 *   POST   /__control/webhooks/stream        { perSecond, types?, workspaceIds? }
 *   DELETE /__control/webhooks/stream
 *   GET    /__control/world/day?workspace=&date=   the ledger truth for one day
 */
import type { SimulatorControl } from './control';
import type { FaultRule } from './faults';
import type { StreamOptions, WebhookSubscription } from './webhooks';
import type { World } from './world';

export type ControlAnswer = { status: number; body: unknown };

export async function handleControl(control: SimulatorControl, world: World, now: () => number,
  method: string, url: URL, body: Record<string, unknown>): Promise<ControlAnswer> {
  const route = `${method} ${url.pathname.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /__control/faults':
        return ok({ rules: control.faults() });
      case 'POST /__control/faults':
        if (Array.isArray(body.rules)) control.setFaults(body.rules as FaultRule[]);
        else if (body.add && typeof body.add === 'object') control.addFault(body.add as FaultRule);
        else return bad('wants { rules: [...] } or { add: {...} }');
        return ok({ rules: control.faults() });
      case 'DELETE /__control/faults':
        control.clearFaults();
        return ok({ rules: [] });
      case 'POST /__control/latency':
        control.setLatency(body.latencyMs as never);
        return ok({ latencyMs: body.latencyMs });
      case 'POST /__control/rate-limit':
        control.setRateLimit(body.enabled === false ? false : { perMinute: Number(body.perMinute), burst: Number(body.burst) });
        return ok({ rateLimit: body.enabled === false ? false : { perMinute: body.perMinute, burst: body.burst } });
      case 'POST /__control/clock':
        if (typeof body.now === 'string' || typeof body.now === 'number') control.setClock(body.now);
        else if (typeof body.advanceMs === 'number') control.advanceClock(body.advanceMs);
        else return bad('wants { now: "2026-11-20T12:00:00Z" } or { advanceMs: 60000 }');
        return ok({ now: new Date(now()).toISOString() });
      case 'GET /__control/counters': {
        const snapshot = control.counters();
        return ok(url.searchParams.get('recent') === '0' ? { ...snapshot, recent: undefined } : snapshot);
      }
      case 'POST /__control/heal':
        return ok({ healed: control.heal() });
      case 'POST /__control/reset':
        control.reset();
        return ok({ reset: true });
      case 'POST /__control/workspaces':
        return ok(control.addWorkspace({ name: body.name as string, id: optionalInt(body.id) }));
      case 'GET /__control/keys':
        return ok({ keys: control.keys() });
      case 'POST /__control/keys/revoke':
        return ok({ revoked: control.revokeKeys(Number(body.workspaceId), typeof body.token === 'string' ? body.token : undefined) });
      case 'POST /__control/minting':
        if (typeof body.enabled !== 'boolean') return bad('wants { enabled: true } or { enabled: false }');
        control.setMinting(body.enabled);
        return ok({ minting: body.enabled });
      case 'POST /__control/webhooks':
        control.subscribeWebhooks(body.url ? (body as unknown as WebhookSubscription) : null);
        return ok({ subscribed: Boolean(body.url) });
      case 'POST /__control/webhooks/send': {
        const deliveries = await control.sendWebhook(String(body.type ?? ''), { workspaceId: optionalInt(body.workspaceId), count: optionalInt(body.count) });
        return ok({ deliveries });
      }
      case 'POST /__control/webhooks/stream':
        control.startWebhookStream(body as unknown as StreamOptions);
        return ok({ streaming: true });
      case 'DELETE /__control/webhooks/stream':
        control.stopWebhookStream();
        return ok({ streaming: false });
      case 'GET /__control/world/day': {
        const ws = Number(url.searchParams.get('workspace'));
        const date = url.searchParams.get('date') ?? world.today();
        return ok({ workspaceId: ws, date, ...world.day(ws, date) });
      }
    }
    const workspace = /^(POST|DELETE) \/__control\/workspaces\/(\d+)$/.exec(route);
    if (workspace) {
      const id = Number(workspace[2]);
      return ok({ workspace: workspace[1] === 'POST' ? control.renameWorkspace(id, body.name as string) : control.removeWorkspace(id) });
    }
    const fault = /^DELETE \/__control\/faults\/(.+)$/.exec(route);
    if (fault) return control.removeFault(decodeURIComponent(fault[1])) ? ok({ removed: fault[1] }) : { status: 404, body: { message: `no fault ${fault[1]}` } };
    return { status: 404, body: { message: `unknown control route ${route}` } };
  } catch (err) {
    return bad(err instanceof Error ? err.message : String(err));
  }
}

const ok = (body: unknown): ControlAnswer => ({ status: 200, body });
const bad = (message: string): ControlAnswer => ({ status: 400, body: { message } });
const optionalInt = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));
