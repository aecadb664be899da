/**
 * The business calendar: what "today", "this month" and "last N days" mean in `BUSINESS_TIMEZONE`.
 *
 * Only the civil date is taken from the time zone (through Intl); every later step is arithmetic
 * on plain `YYYY-MM-DD` dates in UTC, which has no DST, so a 23- or 25-hour day cannot shift a
 * window. Windows are inclusive at both ends, as Email Bison's `start_date`/`end_date` are.
 */

/** An inclusive range of calendar days, `YYYY-MM-DD`. */
export interface DateWindow {
  start: string;
  end: string;
}

export interface CalendarWindows {
  /** Today only. */
  today: DateWindow;
  /** First of this month to today. */
  mtd: DateWindow;
  /** The 7 days ending today. */
  last7: DateWindow;
  /** The 7 days before `last7` (today − 13 … today − 7). */
  prev7: DateWindow;
  /** The 14 days ending today. */
  last14: DateWindow;
  /** The 30 days ending today. */
  last30: DateWindow;
  /** The previous calendar month, whole. */
  lastMonth: DateWindow;
}

export interface Calendar {
  /** IANA zone the dates are in. */
  timeZone: string;
  /** `YYYY-MM-DD` in `timeZone`. */
  today: string;
  /** `YYYY-MM-DD`, the day after `today`. */
  tomorrow: string;
  /** `YYYY-MM`, this month. */
  month: string;
  /** Today's day of the month (today counts): 1 … 31. */
  daysElapsed: number;
  /** Length of this month in days: 28 … 31. */
  daysInMonth: number;
  windows: CalendarWindows;
}

const DAY_MS = 86_400_000;
const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building them is the slow part of Intl. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new RangeError(`Unknown time zone "${timeZone}": expected an IANA name such as "UTC" or "Europe/Berlin"`);
    }
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

/** The civil date (`YYYY-MM-DD`) of an instant in an IANA zone. */
export function civilDate(nowMs: number, timeZone: string): string {
  if (!Number.isFinite(nowMs)) throw new RangeError(`Invalid instant ${String(nowMs)}: expected epoch milliseconds`);
  const parts = formatterFor(timeZone).formatToParts(new Date(nowMs));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

function toUtcMs(date: string): number {
  const m = DATE_PATTERN.exec(date);
  if (!m) throw new RangeError(`Invalid date "${date}": expected YYYY-MM-DD`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** `date` moved by `days` calendar days (negative goes back). */
export function addDays(date: string, days: number): string {
  return new Date(toUtcMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

function parseMonth(month: string): { year: number; month: number } {
  const m = MONTH_PATTERN.exec(month);
  if (!m) throw new RangeError(`Invalid month "${month}": expected YYYY-MM with a month 01-12`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** Whether `month` is a well-formed `YYYY-MM`. */
export function isValidMonth(month: string): boolean {
  return MONTH_PATTERN.test(month);
}

/** Number of days of a `YYYY-MM` month. */
export function daysInMonthOf(month: string): number {
  const { year, month: m } = parseMonth(month);
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, m, 0)).getUTCDate();
}

/** The whole of a `YYYY-MM` month as an inclusive window; throws on a malformed month. */
export function monthWindow(month: string): DateWindow {
  const days = daysInMonthOf(month);
  return { start: `${month}-01`, end: `${month}-${String(days).padStart(2, '0')}` };
}

/** The month before `month` (`2026-01` → `2025-12`). */
export function previousMonth(month: string): string {
  const { year, month: m } = parseMonth(month);
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

export function isCurrentMonth(month: string, cal: Calendar): boolean {
  parseMonth(month);
  return month === cal.month;
}

/** `YYYY-MM` strings compare in calendar order. */
export function isFutureMonth(month: string, cal: Calendar): boolean {
  parseMonth(month);
  return month > cal.month;
}

export function isPastMonth(month: string, cal: Calendar): boolean {
  parseMonth(month);
  return month < cal.month;
}

/**
 * The stats window to fetch for a month: the whole month when past, month-to-date when current,
 * null when the month has not begun (there is nothing to fetch).
 */
export function statsWindowForMonth(month: string, cal: Calendar): DateWindow | null {
  if (isFutureMonth(month, cal)) return null;
  if (isCurrentMonth(month, cal)) return cal.windows.mtd;
  return monthWindow(month);
}

/**
 * The last calendar built per zone and the second it was built for. Every request asks for one and
 * it changes once a day; a civil date can only change on a whole second (zone offsets are whole
 * seconds), so within one second the answer is the same object. Callers never mutate it.
 */
const lastCalendars = new Map<string, { second: number; calendar: Calendar }>();

/** The calendar at an instant, in an IANA zone. */
export function calendarFor(nowMs: number, timeZone: string): Calendar {
  const second = Math.floor(nowMs / 1000);
  const last = lastCalendars.get(timeZone);
  if (last && last.second === second) return last.calendar;
  const calendar = buildCalendar(nowMs, timeZone);
  lastCalendars.set(timeZone, { second, calendar });
  return calendar;
}

function buildCalendar(nowMs: number, timeZone: string): Calendar {
  const today = civilDate(nowMs, timeZone);
  const month = today.slice(0, 7);
  const window = (start: string, end: string): DateWindow => ({ start, end });
  return {
    timeZone,
    today,
    tomorrow: addDays(today, 1),
    month,
    daysElapsed: Number(today.slice(8, 10)),
    daysInMonth: daysInMonthOf(month),
    windows: {
      today: window(today, today),
      mtd: window(`${month}-01`, today),
      last7: window(addDays(today, -6), today),
      prev7: window(addDays(today, -13), addDays(today, -7)),
      last14: window(addDays(today, -13), today),
      last30: window(addDays(today, -29), today),
      lastMonth: monthWindow(previousMonth(month)),
    },
  };
}
