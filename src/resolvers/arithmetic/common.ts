/** Small arithmetic shared by the dashboards. */
import type { ClientRecord } from '../../sources/registry/types';

/** What a row shows as the client's name: the display name, else the workspace name. */
export function clientName(client: ClientRecord): string {
  const display = client.displayName?.trim();
  return display ? display : client.name;
}

/** `part ÷ whole`, or 0 when there is no whole (no target, nothing sent). */
export function ratioOrZero(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** `part ÷ whole × 100`, or 0 when there is no whole. */
export function percentOrZero(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}

/** Straight-line projection of a month-to-date count to the whole month. */
export function projectToMonth(soFar: number, daysElapsed: number, daysInMonth: number): number {
  return daysElapsed > 0 ? (soFar / daysElapsed) * daysInMonth : soFar;
}

export function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += pick(item);
  return total;
}

/** Stable tiebreak for rankings: name, then workspace id. */
export function byNameThenId(a: { name: string; workspaceId: number }, b: { name: string; workspaceId: number }): number {
  return a.name.localeCompare(b.name) || a.workspaceId - b.workspaceId;
}
