/**
 * Filtering and Relay-style pagination of mailbox rows.
 *
 * Cursors name a mailbox (`mailbox:<workspaceId>:<id>`, base64url), not an offset, so a page
 * stays put when mailboxes before it appear or disappear between requests; the workspace id is in
 * the cursor because the same mailbox id has been seen under two workspaces.
 */
import { compareMailboxes } from './infrastructure';
import type { Provider, Reseller } from './mailbox-rules';
import type { Mailbox } from './mailboxes';

export type MailboxConnectionStatus = 'CONNECTED' | 'DISCONNECTED';

/** What a page keeps; null or absent criteria keep everything. Names are canonical (see mailbox-rules). */
export interface MailboxFilter {
  workspaceId?: number | null;
  status?: MailboxConnectionStatus | null;
  /** Any of these providers; an empty list keeps none. */
  providers?: readonly Provider[] | null;
  /** Any of these resellers; an empty list keeps none. */
  resellers?: readonly Reseller[] | null;
  /** Lifetime emails sent at least this. */
  minSent?: number | null;
  /** Reply rate (percent) at most this. */
  maxReplyRate?: number | null;
}

/**
 * Relay's arguments: `after`/`before` bound the list (exclusive), then `first` keeps the first N
 * of what is left, `last` the last N. Neither size given: the first 50.
 */
export interface PageArgs {
  /** Page size from the start. @default 50 (when `last` is not given either) */
  first?: number | null;
  /** Cursor of the last mailbox of the previous page. */
  after?: string | null;
  /** Page size from the end (backward paging). */
  last?: number | null;
  /** Cursor of the first mailbox of the next page (backward paging). */
  before?: string | null;
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
/** What `first` and `last` accept (declared on the GraphQL arguments too, so they say so). */
export const PAGE_SIZE_RANGE = { min: 0, max: MAX_PAGE_SIZE } as const;

/** The mailboxes the filter keeps; the list itself (no copy of 11,000 rows) when it sets nothing. */
export function filterMailboxes(mailboxes: readonly Mailbox[], filter: MailboxFilter = {}): readonly Mailbox[] {
  if (Object.values(filter).every((v) => v == null)) return mailboxes;
  const providers = filter.providers ? new Set<string>(filter.providers) : null;
  const resellers = filter.resellers ? new Set<string>(filter.resellers) : null;
  const wantConnected = filter.status == null ? null : filter.status === 'CONNECTED';
  return mailboxes.filter((m) =>
    (filter.workspaceId == null || m.workspaceId === filter.workspaceId)
    && (wantConnected === null || m.connected === wantConnected)
    && (!providers || providers.has(m.provider))
    && (!resellers || resellers.has(m.reseller))
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

/** Lists known to be in page order (a pure fact about an unchanging list: shared safely). */
const knownSorted = new WeakSet<readonly Mailbox[]>();

/** The list in workspace-then-id order: itself when it is (checked once per list), else a sorted copy. */
export function sortedMailboxes(list: readonly Mailbox[]): readonly Mailbox[] {
  if (knownSorted.has(list)) return list;
  const sorted = isSorted(list) ? list : [...list].sort(compareMailboxes);
  knownSorted.add(sorted);
  return sorted;
}

/** The filter as a memo key: equal keys keep the same mailboxes. */
export function filterKey(filter: MailboxFilter): string {
  const list = (items: readonly string[] | null | undefined) => (items == null ? null : [...new Set(items)].sort());
  return JSON.stringify([filter.workspaceId ?? null, filter.status ?? null, list(filter.providers), list(filter.resellers), filter.minSent ?? null, filter.maxReplyRate ?? null]);
}

/** Index of the first mailbox after `key` in a sorted list (binary search); `orAt`: at or after it. */
function indexAfter(list: readonly Mailbox[], key: { workspaceId: number; id: number }, orAt = false): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const order = compareMailboxes(list[mid], key);
    if (order < 0 || (order === 0 && !orAt)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function pageSize(name: 'first' | 'last', value: number | null | undefined): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw new RangeError(`Invalid page size ${name}=${String(value)}: expected an integer from 0 to ${MAX_PAGE_SIZE}`);
  }
  return value;
}

/**
 * One page of mailboxes in workspace-then-id order, forward (`first`/`after`) or backward
 * (`last`/`before`). `hasPreviousPage`/`hasNextPage` say exactly whether mailboxes lie before or
 * after the page, whichever direction it was asked in. Sorts a copy only when the list is not sorted.
 */
export function paginate(list: readonly Mailbox[], args: PageArgs = {}): MailboxConnection {
  const last = pageSize('last', args.last);
  const first = pageSize('first', args.first) ?? (last === null ? DEFAULT_PAGE_SIZE : null);
  const sorted = sortedMailboxes(list);
  let start = args.after ? indexAfter(sorted, decodeMailboxCursor(args.after)) : 0;
  let end = args.before ? Math.max(start, indexAfter(sorted, decodeMailboxCursor(args.before), true)) : sorted.length;
  if (first !== null) end = Math.min(end, start + first);
  if (last !== null) start = Math.max(start, end - last);
  const edges = sorted.slice(start, end).map((node) => ({ cursor: mailboxCursor(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: end < sorted.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: sorted.length,
  };
}
