/**
 * Walks every page of a Laravel-paginated Email Bison list. The first page tells how many there
 * are (`meta.last_page`); the rest are requested concurrently (each page is its own call through
 * the scheduler). If the list grew meanwhile, `links.next` of the last page is then followed
 * verbatim, one page at a time. Items are deduplicated by id (a mailbox moving between pages while
 * we walk would otherwise count twice).
 */
import { SourceError } from '../errors';

export interface Page<T> {
  data: T[];
  links: { next: string | null };
  meta: { current_page: number; last_page: number; total: number };
}

export interface PageWalk<T> {
  /** URL of page 1, with every filter in its query. */
  firstUrl: URL;
  /** Only links on this origin are followed: our key is never sent anywhere else. */
  baseUrl: string;
  workspaceId: number | null;
  endpoint: string;
  fetchPage(url: URL): Promise<Page<T>>;
  /** Stops a runaway walk (a server whose `next` never ends). @default 5000 */
  maxPages?: number;
}

export async function walkAllPages<T extends { id: number }>(walk: PageWalk<T>): Promise<T[]> {
  const maxPages = walk.maxPages ?? 5000;
  const first = await walk.fetchPage(pageUrl(walk.firstUrl, 1));
  const lastPage = Math.min(first.meta.last_page, maxPages);
  const rest = await Promise.all(
    Array.from({ length: Math.max(0, lastPage - 1) }, (_, i) => walk.fetchPage(pageUrl(walk.firstUrl, i + 2))),
  );
  const pages = [first, ...rest];

  const visited = new Set(pages.map((_, i) => pageUrl(walk.firstUrl, i + 1).href));
  let tail = pages[pages.length - 1];
  while (tail.links.next && tail.data.length > 0) {
    const next = sameOrigin(tail.links.next, walk);
    if (visited.has(next.href)) break;
    if (visited.size >= maxPages) {
      throw new SourceError('UPSTREAM_INVALID_PAYLOAD', `Email Bison ${walk.endpoint} kept paginating past ${maxPages} pages; stopped`, false, walk.workspaceId);
    }
    visited.add(next.href);
    tail = await walk.fetchPage(next);
    pages.push(tail);
  }

  const byId = new Map<number, T>();
  for (const page of pages) for (const item of page.data) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()];
}

function pageUrl(first: URL, page: number): URL {
  const url = new URL(first);
  url.searchParams.set('page', String(page));
  return url;
}

/** Parses a `links.next` and refuses one that leaves the instance. */
function sameOrigin(link: string, walk: PageWalk<unknown & { id: number }>): URL {
  let url: URL;
  try {
    url = new URL(link, walk.baseUrl);
  } catch {
    throw refuse(walk, 'is not a URL');
  }
  if (url.origin !== new URL(walk.baseUrl).origin) throw refuse(walk, 'points to another origin than the instance');
  return url;
}

function refuse(walk: { endpoint: string; workspaceId: number | null }, why: string): SourceError {
  const scope = walk.workspaceId === null ? '' : ` (workspace ${walk.workspaceId})`;
  return new SourceError(
    'UPSTREAM_INVALID_PAYLOAD',
    `Email Bison ${walk.endpoint}${scope}: the next-page link ${why}; refused to follow it (the key is never sent elsewhere)`,
    false,
    walk.workspaceId,
  );
}
