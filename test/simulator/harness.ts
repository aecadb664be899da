/** Shared setup for the simulator's own tests: a simulator on a ManualClock and a tiny client. */
import { request } from 'node:http';
import { ManualClock } from '../../src/clock';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';

export const NOW = '2026-11-20T12:00:00Z';

export async function createTestSimulator(options: SimulatorOptions = {}): Promise<{ sim: Simulator; clock: ManualClock }> {
  const clock = new ManualClock(NOW);
  const sim = await startSimulator({ clock, seed: 'test', rateLimit: false, ...options });
  return { sim, clock };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function call(sim: Simulator, path: string, key: string | null, init: { method?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path.startsWith('http') ? path : `${sim.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function keyOf(sim: Simulator, workspaceId: number): string {
  const key = sim.apiKeys.get(workspaceId);
  if (!key) throw new Error(`no api key for workspace ${workspaceId}`);
  return key;
}

/** The first client workspace that is actively sending. */
export function activeClient(sim: Simulator): number {
  const ws = sim.world.workspaces.find((w) => !w.personal_team && sim.world.profile(w.id).activity === 'active');
  if (!ws) throw new Error('no active client workspace');
  return ws.id;
}

/** A GET with a JSON body, as some Email Bison callers send (fetch refuses to). */
export function getWithBody(sim: Simulator, path: string, key: string, body: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(`${sim.url}${path}`, {
      method: 'GET',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
    }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
