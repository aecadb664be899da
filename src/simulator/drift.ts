/** Schema drift and "stringly" numbers applied to an answer's body just before it is sent. */
import type { DriftMode } from './faults';

/** The field drift hits when the rule names none: one the gateway cannot do without. */
const DEFAULT_FIELD: Record<string, string> = {
  'GET /api/workspaces': 'name',
  'GET /api/workspaces/v1.1': 'name',
  'GET /api/workspaces/v1.1/stats': 'interested',
  'GET /api/workspaces/v1.1/line-area-chart-stats': 'dates',
  'GET /api/campaigns/sending-schedules': 'emails_being_sent',
  'GET /api/sender-emails': 'emails_sent_count',
  'GET /api/campaigns': 'emails_sent',
};

/** Returns a drifted copy of `body` (`{data: object}` or `{data: object[]}`); other shapes pass through. */
export function applyDrift(body: unknown, endpoint: string, drift: { mode: DriftMode; field?: string }): unknown {
  const field = drift.field ?? DEFAULT_FIELD[endpoint];
  if (!field || !isRecord(body) || !('data' in body)) return body;
  const change = (item: unknown): unknown => {
    if (!isRecord(item) || !(field in item)) return item;
    const { [field]: value, ...rest } = item;
    if (drift.mode === 'missing') return rest;
    if (drift.mode === 'renamed') return { ...rest, [`${field}_v2`]: value };
    return { ...rest, [field]: typeof value === 'number' ? localeString(value) : String(value) };
  };
  const data = body.data;
  return { ...body, data: Array.isArray(data) ? data.map(change) : change(data) };
}

/** Every number of a `{data: object}` body as a numeric string ("12", "3.5"). */
export function stringlyNumbers(body: unknown): unknown {
  if (!isRecord(body) || !isRecord(body.data)) return body;
  const data = Object.fromEntries(Object.entries(body.data).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));
  return { ...body, data };
}

/** A number the way a German locale prints it ("1.234,00"): never parses as a JS number. */
function localeString(n: number): string {
  return n.toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
