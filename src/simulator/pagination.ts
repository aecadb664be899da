/**
 * Laravel's length-aware paginator: `links` are absolute and keep the request's query string, with
 * `page` replaced, so a client can follow `links.next` verbatim.
 */
export interface Page<T> {
  data: T[];
  links: { first: string; last: string; prev: string | null; next: string | null };
  meta: {
    current_page: number;
    from: number | null;
    last_page: number;
    links: Array<{ url: string | null; label: string; active: boolean }>;
    path: string;
    per_page: number;
    to: number | null;
    total: number;
  };
}

export const DEFAULT_PER_PAGE = 15;

/** Reads `page` and `per_page` (capped) from the query; junk falls back to the defaults. */
export function pageParams(query: URLSearchParams, cap = DEFAULT_PER_PAGE): { page: number; perPage: number } {
  const page = Math.max(1, Math.floor(Number(query.get('page')) || 1));
  const asked = Math.floor(Number(query.get('per_page')) || DEFAULT_PER_PAGE);
  return { page, perPage: Math.min(cap, Math.max(1, asked)) };
}

/** `path` is the absolute URL of the list without a query, e.g. `http://127.0.0.1:4010/api/sender-emails`. */
export function paginate<T>(items: readonly T[], path: string, query: URLSearchParams, cap = DEFAULT_PER_PAGE): Page<T> {
  const { page, perPage } = pageParams(query, cap);
  const total = items.length;
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const start = (page - 1) * perPage;
  const data = items.slice(start, start + perPage);
  const urlFor = (p: number) => {
    const q = new URLSearchParams(query);
    q.set('page', String(p));
    return `${path}?${q.toString()}`;
  };
  return {
    data,
    links: {
      first: urlFor(1),
      last: urlFor(lastPage),
      prev: page > 1 ? urlFor(Math.min(page - 1, lastPage)) : null,
      next: page < lastPage ? urlFor(page + 1) : null,
    },
    meta: {
      current_page: page,
      from: data.length ? start + 1 : null,
      last_page: lastPage,
      links: [
        { url: page > 1 ? urlFor(page - 1) : null, label: '&laquo; Previous', active: false },
        { url: urlFor(page), label: String(page), active: true },
        { url: page < lastPage ? urlFor(page + 1) : null, label: 'Next &raquo;', active: false },
      ],
      path,
      per_page: perPage,
      to: data.length ? start + data.length : null,
      total,
    },
  };
}
