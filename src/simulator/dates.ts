/** UTC calendar helpers. The simulator's days are UTC days; dates are `YYYY-MM-DD`. */

export const DAY_MS = 86_400_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Midnight UTC of a `YYYY-MM-DD` date, or null if the text is not a real calendar date. */
export function parseIsoDate(text: string): number | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return isoDate(ms) === text ? ms : null;
}

export function addDays(date: string, days: number): string {
  const ms = parseIsoDate(date);
  if (ms === null) throw new Error(`addDays: "${date}" is not a YYYY-MM-DD date`);
  return isoDate(ms + days * DAY_MS);
}

/** Every date from start to end, both included. */
export function eachDate(start: string, end: string): string[] {
  const from = parseIsoDate(start);
  const to = parseIsoDate(end);
  if (from === null || to === null) throw new Error(`eachDate: bad range ${start}..${end}`);
  const out: string[] = [];
  for (let t = from; t <= to; t += DAY_MS) out.push(isoDate(t));
  return out;
}

/** Laravel's timestamp format: `2025-06-01T20:50:12.000000Z`. */
export function laravelTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Fraction of the UTC day elapsed at `ms`, in [0, 1). */
export function dayFraction(ms: number): number {
  return (((ms % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
}
