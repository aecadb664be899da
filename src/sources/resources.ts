/**
 * The upstream resources the dashboards are built from. A resource is the unit of caching,
 * single-flight and freshness: one Email Bison call (or one walk over all pages of a list).
 */
import type { SenderEmail, SendingSchedule, Stats, Workspace } from './email-bison/schemas';

export type ScheduleDay = 'today' | 'tomorrow' | 'day_after_tomorrow';

export type Resource =
  | { kind: 'workspaces' }
  /** Workspace stats for an inclusive `YYYY-MM-DD` window. */
  | { kind: 'stats'; workspaceId: number; start: string; end: string }
  | { kind: 'sending-schedules'; workspaceId: number; day: ScheduleDay }
  /** Every mailbox of the workspace (all pages). */
  | { kind: 'sender-emails'; workspaceId: number };

export type ResourceKind = Resource['kind'];

export interface ResourceValues {
  workspaces: Workspace[];
  stats: Stats;
  'sending-schedules': SendingSchedule[];
  'sender-emails': SenderEmail[];
}
export type ValueOf<R extends Resource> = ResourceValues[R['kind']];

/** Stable cache key: `stats:12:2026-11-01:2026-11-29`. */
export function resourceKey(r: Resource): string {
  switch (r.kind) {
    case 'workspaces':
      return 'workspaces';
    case 'stats':
      return `stats:${r.workspaceId}:${r.start}:${r.end}`;
    case 'sending-schedules':
      return `sending-schedules:${r.workspaceId}:${r.day}`;
    case 'sender-emails':
      return `sender-emails:${r.workspaceId}`;
  }
}

export function workspaceOf(r: Resource): number | null {
  return r.kind === 'workspaces' ? null : r.workspaceId;
}
