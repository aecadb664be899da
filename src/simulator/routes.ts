/**
 * Email Bison's endpoints, answered from the world. A handler runs when the request arrives (after
 * auth and rate limiting), so a super-admin request sees whatever workspace is current at that
 * moment; faults and latency are applied to its result afterwards.
 */
import { eachDate, parseIsoDate } from './dates';
import type { ApiKey, KeyStore } from './auth';
import { paginate } from './pagination';
import { chartFromDays, statsFromCounts, type ScheduleDay, type World } from './world';

export interface RouteContext {
  world: World;
  keys: KeyStore;
  key: ApiKey;
  workspaceId: number;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** `http://host:port` as the client addressed us (Laravel builds absolute links from it). */
  origin: string;
  params: string[];
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export interface Route {
  method: string;
  /** What counters and fault scopes call it: `GET /api/workspaces/v1.1/stats`. */
  endpoint: string;
  pattern: RegExp;
  handle(ctx: RouteContext): RouteResult;
}

export const notFound = (message = 'Not found.'): RouteResult => ({ status: 404, body: { data: { success: false, message } } });
const forbidden = (message: string): RouteResult => ({ status: 403, body: { message } });
const invalid = (field: string, message: string): RouteResult => ({ status: 422, body: { message, errors: { [field]: [message] } } });
const ok = (body: unknown): RouteResult => ({ status: 200, body });

function listWorkspaces(ctx: RouteContext): RouteResult {
  const all = ctx.world.workspaces;
  return ok({ data: ctx.key.kind === 'super-admin' ? all : all.filter((w) => w.id === ctx.key.workspaceId) });
}

function switchWorkspace(ctx: RouteContext): RouteResult {
  if (ctx.key.kind !== 'super-admin') return forbidden('This action is unauthorized.');
  const raw = ctx.body.team_id ?? ctx.body.workspace_id;
  if (raw === undefined || raw === null || raw === '') return invalid('team_id', 'The team id field is required.');
  const ws = ctx.world.workspace(Number(raw));
  if (!ws) return notFound('Workspace not found.');
  ctx.keys.switchWorkspace(ctx.key, ws.id);
  return ok({ data: { success: true, message: `Switched to workspace ${ws.name}.`, workspace: ws } });
}

/** start_date and end_date, validated like Laravel would (both required, real dates, end >= start). */
function dateRange(query: URLSearchParams): { start: string; end: string } | RouteResult {
  const start = query.get('start_date');
  const end = query.get('end_date');
  if (!start) return invalid('start_date', 'The start date field is required.');
  if (parseIsoDate(start) === null) return invalid('start_date', 'The start date field must be a valid date.');
  if (!end) return invalid('end_date', 'The end date field is required.');
  if (parseIsoDate(end) === null) return invalid('end_date', 'The end date field must be a valid date.');
  if (end < start) return invalid('end_date', 'The end date field must be a date after or equal to start date.');
  return { start, end };
}

function stats(ctx: RouteContext): RouteResult {
  const range = dateRange(ctx.query);
  if ('status' in range) return range;
  return ok({ data: statsFromCounts(ctx.world.window(ctx.workspaceId, range.start, range.end)) });
}

function chart(ctx: RouteContext): RouteResult {
  const range = dateRange(ctx.query);
  if ('status' in range) return range;
  const days = eachDate(range.start, range.end).map((d) => [d, ctx.world.day(ctx.workspaceId, d)] as [string, ReturnType<World['day']>]);
  return ok({ data: chartFromDays(days) });
}

const SCHEDULE_DAYS = new Set(['today', 'tomorrow', 'day_after_tomorrow']);

function sendingSchedules(ctx: RouteContext): RouteResult {
  const day = ctx.query.get('day') ?? ctx.body.day;
  if (day === undefined || day === null || day === '') return invalid('day', 'The day field is required.');
  if (typeof day !== 'string' || !SCHEDULE_DAYS.has(day)) return invalid('day', 'The selected day is invalid.');
  return ok({ data: ctx.world.schedules(ctx.workspaceId, day as ScheduleDay) });
}

function tagIds(query: URLSearchParams): Set<number> {
  const ids = new Set<number>();
  for (const [k, v] of query) if (k === 'tag_ids' || k.startsWith('tag_ids[')) ids.add(Number(v));
  return ids;
}

function senderEmails(ctx: RouteContext): RouteResult {
  const status = ctx.query.get('status')?.toLowerCase();
  const search = ctx.query.get('search')?.toLowerCase();
  const tags = tagIds(ctx.query);
  let list = ctx.world.mailboxes(ctx.workspaceId);
  if (status || search || tags.size) {
    list = list.filter((m) => (!status || m.status.toLowerCase() === status)
      && (!search || m.email.includes(search) || m.name.toLowerCase().includes(search))
      && (!tags.size || m.tags.some((t) => tags.has(t.id))));
  }
  return ok(paginate(list, `${ctx.origin}/api/sender-emails`, ctx.query));
}

function campaigns(ctx: RouteContext): RouteResult {
  const status = ctx.query.get('status')?.toLowerCase();
  const search = ctx.query.get('search')?.toLowerCase();
  let list = ctx.world.campaigns(ctx.workspaceId);
  if (status || search) {
    list = list.filter((c) => (!status || c.status.toLowerCase() === status) && (!search || c.name.toLowerCase().includes(search)));
  }
  return ok(paginate(list, `${ctx.origin}/api/campaigns`, ctx.query));
}

function mintToken(ctx: RouteContext): RouteResult {
  if (ctx.key.kind !== 'super-admin') return forbidden('Only super-admin keys can create API tokens.');
  if (!ctx.keys.mintingAllowed) return forbidden('This action is unauthorized.');
  const ws = ctx.world.workspace(Number(ctx.params[0]));
  if (!ws) return notFound('Workspace not found.');
  const name = ctx.body.name;
  if (typeof name !== 'string' || !name.trim()) return invalid('name', 'The name field is required.');
  const { key, token } = ctx.keys.mint(ws.id, name);
  return ok({ data: { id: key.id, name, workspace_id: ws.id, plain_text_token: token } });
}

function route(method: string, template: string, handle: Route['handle']): Route {
  const pattern = new RegExp(`^${template.replace(/\./g, '\\.').replace(/\{[a-z_]+\}/g, '(\\d+)')}/?$`);
  return { method, endpoint: `${method} ${template}`, pattern, handle };
}

export const ROUTES: readonly Route[] = [
  route('GET', '/api/workspaces', listWorkspaces),
  route('GET', '/api/workspaces/v1.1', listWorkspaces),
  route('POST', '/api/workspaces/v1.1/switch-workspace', switchWorkspace),
  route('GET', '/api/workspaces/v1.1/stats', stats),
  route('GET', '/api/workspaces/v1.1/line-area-chart-stats', chart),
  route('GET', '/api/campaigns/sending-schedules', sendingSchedules),
  route('GET', '/api/sender-emails', senderEmails),
  route('GET', '/api/campaigns', campaigns),
  route('POST', '/api/workspaces/v1.1/{team_id}/api-tokens', mintToken),
];

export function matchRoute(method: string, pathname: string): { route: Route; params: string[] } | null {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(pathname);
    if (m) return { route: r, params: m.slice(1) };
  }
  return null;
}
