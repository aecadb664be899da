/**
 * Filtering and Relay-style pagination of mailbox rows.
 *
 * Cursors name a mailbox (`mailbox:<workspaceId>:<id>`, base64url), not an offset, so a page
 * stays put when mailboxes before it appear or disappear between requests; the workspace id is in
 * the cursor because the same mailbox id has been seen under two workspaces.
 */
import { compareMailboxes } from './infrastructure';
import type { Mailbox } from './mailboxes';

export type MailboxConnectionStatus = 'CONNECTED' | 'DISCONNECTED';

export interface MailboxFilter {
  workspaceId?: number | null;
  status?: MailboxConnectionStatus | null;
  /** Canonical provider name, case-insensitive (`google`, `Outlook`). */
  provider?: string | null;
  /** Canonical reseller name, case-insensitive. */
  reseller?: string | null;
  /** Lifetime emails sent at least this. */
  minSent?: number | null;
  /** Reply rate (percent) at most this. */
  maxReplyRate?: number | null;
}

export interface PageArgs {
  /** Page size. @default 50 */
  first?: number | null;
  /** Cursor of the last mailbox of the previous page. */
  after?: string | null;
}

export interface MailboxEdge {
  cursor: string;
  node: Mailbox;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface MailboxConnection {
  edges: MailboxEdge[];
  pageInfo: PageInfo;
  /** Mailboxes matching the filter, all pages. */
  totalCount: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** The mailboxes the filter keeps; the list itself (no copy of 11,000 rows) when it sets nothing. */
export function filterMailboxes(mailboxes: readonly Mailbox[], filter: MailboxFilter = {}): readonly Mailbox[] {
  if (Object.values(filter).every((v) => v == null || v === '')) return mailboxes;
  const provider = filter.provider?.trim().toLowerCase();
  const reseller = filter.reseller?.trim().toLowerCase();
  const wantConnected = filter.status == null ? null : filter.status === 'CONNECTED';
  return mailboxes.filter((m) =>
    (filter.workspaceId == null || m.workspaceId === filter.workspaceId)
    && (wantConnected === null || m.connected === wantConnected)
    && (!provider || m.provider.toLowerCase() === provider)
    && (!reseller || m.reseller.toLowerCase() === reseller)
    && (filter.minSent == null || m.emailsSent >= filter.minSent)
    && (filter.maxReplyRate == null || m.replyRate <= filter.maxReplyRate));
}

export function mailboxCursor(m: Pick<Mailbox, 'workspaceId' | 'id'>): string {
  return Buffer.from(`mailbox:${m.workspaceId}:${m.id}`, 'utf8').toString('base64url');
}

const CURSOR_PATTERN = /^mailbox:(\d+):(\d+)$/;

/** The position a cursor names; throws with a clear message on anything we did not issue. */
export function decodeMailboxCursor(cursor: string): { workspaceId: number; id: number } {
  const m = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new RangeError(`Invalid cursor "${cursor.slice(0, 64)}": pass an endCursor or edge cursor from a previous page`);
  return { workspaceId: Number(m[1]), id: Number(m[2]) };
}

function isSorted(list: readonly Mailbox[]): boolean {
  for (let i = 1; i < list.length; i++) if (compareMailboxes(list[i - 1], list[i]) > 0) return false;
  return true;
}

/** Index of the first mailbox strictly after `key` in a sorted list (binary search). */
function firstAfter(list: readonly Mailbox[], key: { workspaceId: number; id: number }): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = list[mid];
    if (m.workspaceId < key.workspaceId || (m.workspaceId === key.workspaceId && m.id <= key.id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One page of mailboxes in workspace-then-id order. Sorts a copy only when the list is not sorted. */
export function paginate(list: readonly Mailbox[], args: PageArgs = {}): MailboxConnection {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new RangeError(`Invalid page size first=${String(first)}: expected an integer from 0 to ${MAX_PAGE_SIZE}`);
  }
  const sorted = isSorted(list) ? list : [...list].sort(compareMailboxes);
  const start = args.after ? firstAfter(sorted, decodeMailboxCursor(args.after)) : 0;
  const page = sorted.slice(start, start + first);
  const edges = page.map((node) => ({ cursor: mailboxCursor(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: start + first < sorted.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: sorted.length,
  };
}
