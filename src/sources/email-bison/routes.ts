/**
 * The Email Bison calls the gateway makes: method, route template (what monitoring records), URL
 * and the schema of the answer. Schemas unwrap the `{"data": ...}` envelope.
 */
import { z } from 'zod';
import type { ScheduleDay } from '../resources';
import {
  mintedTokenResponse,
  senderEmailsPage,
  sendingSchedulesResponse,
  statsResponse,
  workspacesResponse,
} from './schemas';

export interface Route<T> {
  method: 'GET' | 'POST';
  /** Route template: no host, no query, no key. */
  endpoint: string;
  workspaceId: number | null;
  url(baseUrl: string): URL;
  body?: unknown;
  schema: z.ZodType<T>;
  /** The answer's body is not relied on (any 2xx will do). */
  ignoreBody?: boolean;
}

export const SENDER_EMAILS = '/api/sender-emails';

function at(baseUrl: string, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(baseUrl + path);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

const unwrap = <S extends z.ZodType<{ data: unknown }>>(schema: S) => schema.transform((r) => r.data as z.output<S>['data']);

export const routes = {
  workspaces: () => ({
    method: 'GET', endpoint: '/api/workspaces/v1.1', workspaceId: null,
    url: (base: string) => at(base, '/api/workspaces/v1.1'),
    schema: unwrap(workspacesResponse),
  }) satisfies Route<unknown>,

  switchWorkspace: (workspaceId: number) => ({
    method: 'POST', endpoint: '/api/workspaces/v1.1/switch-workspace', workspaceId,
    url: (base: string) => at(base, '/api/workspaces/v1.1/switch-workspace'),
    body: { team_id: workspaceId },
    schema: z.unknown(),
    ignoreBody: true,
  }) satisfies Route<unknown>,

  stats: (workspaceId: number, start: string, end: string) => ({
    method: 'GET', endpoint: '/api/workspaces/v1.1/stats', workspaceId,
    url: (base: string) => at(base, '/api/workspaces/v1.1/stats', { start_date: start, end_date: end }),
    schema: unwrap(statsResponse),
  }) satisfies Route<unknown>,

  sendingSchedules: (workspaceId: number, day: ScheduleDay) => ({
    method: 'GET', endpoint: '/api/campaigns/sending-schedules', workspaceId,
    url: (base: string) => at(base, '/api/campaigns/sending-schedules', { day }),
    schema: unwrap(sendingSchedulesResponse),
  }) satisfies Route<unknown>,

  /** Page 1 of the mailbox list; the walk sets `page` on copies of it. */
  senderEmailsFirstPage: (baseUrl: string, pageSize: number) => at(baseUrl, SENDER_EMAILS, { per_page: String(pageSize) }),

  /** Any page, by absolute URL (built from page 1, or a `links.next` already checked for origin). */
  senderEmailsPage: (workspaceId: number, url: URL) => ({
    method: 'GET', endpoint: SENDER_EMAILS, workspaceId,
    url: () => url,
    schema: senderEmailsPage,
  }) satisfies Route<unknown>,

  mintToken: (workspaceId: number, name: string) => ({
    method: 'POST', endpoint: '/api/workspaces/v1.1/{team_id}/api-tokens', workspaceId,
    url: (base: string) => at(base, `/api/workspaces/v1.1/${workspaceId}/api-tokens`),
    body: { name },
    schema: unwrap(mintedTokenResponse),
  }) satisfies Route<unknown>,
};
