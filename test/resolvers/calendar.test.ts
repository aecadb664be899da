import { describe, expect, it } from 'vitest';
import {
  addDays, calendarFor, isCurrentMonth, isFutureMonth, isPastMonth, monthWindow, previousMonth, statsWindowForMonth,
} from '../../src/resolvers/arithmetic/calendar';

const at = (iso: string, zone = 'UTC') => calendarFor(Date.parse(iso), zone);

describe('calendarFor', () => {
  it('day 1 of a month: windows reach back into the previous months', () => {
    const cal = at('2026-03-01T12:00:00Z');
    expect(cal).toMatchObject({ today: '2026-03-01', tomorrow: '2026-03-02', month: '2026-03', daysElapsed: 1, daysInMonth: 31 });
    expect(cal.windows).toEqual({
      today: { start: '2026-03-01', end: '2026-03-01' },
      mtd: { start: '2026-03-01', end: '2026-03-01' },
      // Feb 2026 has 28 days: Mar 1 − 6 = Feb 23.
      last7: { start: '2026-02-23', end: '2026-03-01' },
      prev7: { start: '2026-02-16', end: '2026-02-22' },
      last14: { start: '2026-02-16', end: '2026-03-01' },
      // Mar 1 − 29 days = Jan 31.
      last30: { start: '2026-01-31', end: '2026-03-01' },
      lastMonth: { start: '2026-02-01', end: '2026-02-28' },
    });
  });

  it('last day of a 31-day month', () => {
    const cal = at('2026-01-31T23:59:59Z');
    expect(cal).toMatchObject({ today: '2026-01-31', tomorrow: '2026-02-01', daysElapsed: 31, daysInMonth: 31 });
    expect(cal.windows.last30).toEqual({ start: '2026-01-02', end: '2026-01-31' });
    expect(cal.windows.lastMonth).toEqual({ start: '2025-12-01', end: '2025-12-31' });
  });

  it('January 1: last month is December of the previous year', () => {
    const cal = at('2026-01-01T00:00:00Z');
    expect(cal).toMatchObject({ today: '2026-01-01', month: '2026-01', daysElapsed: 1, daysInMonth: 31 });
    expect(cal.windows.lastMonth).toEqual({ start: '2025-12-01', end: '2025-12-31' });
    expect(cal.windows.last7).toEqual({ start: '2025-12-26', end: '2026-01-01' });
    expect(cal.windows.prev7).toEqual({ start: '2025-12-19', end: '2025-12-25' });
  });

  it('February in a leap year and in a common year', () => {
    const leap = at('2028-02-29T10:00:00Z');
    expect(leap).toMatchObject({ today: '2028-02-29', tomorrow: '2028-03-01', daysElapsed: 29, daysInMonth: 29 });
    expect(leap.windows.lastMonth).toEqual({ start: '2028-01-01', end: '2028-01-31' });
    const common = at('2027-02-28T10:00:00Z');
    expect(common).toMatchObject({ tomorrow: '2027-03-01', daysElapsed: 28, daysInMonth: 28 });
    // March 2028: last month is the leap February.
    expect(at('2028-03-15T00:00:00Z').windows.lastMonth).toEqual({ start: '2028-02-01', end: '2028-02-29' });
  });

  it('uses the business time zone, not UTC, for the date', () => {
    // 02:00 UTC on Mar 1 is 21:00 EST on Feb 28 in New York.
    const ny = at('2026-03-01T02:00:00Z', 'America/New_York');
    expect(ny).toMatchObject({ today: '2026-02-28', tomorrow: '2026-03-01', month: '2026-02', daysElapsed: 28, daysInMonth: 28 });
    expect(ny.windows.mtd).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(ny.windows.lastMonth).toEqual({ start: '2026-01-01', end: '2026-01-31' });
    // 20:00 UTC on Feb 28 is 05:00 on Mar 1 in Tokyo.
    expect(at('2026-02-28T20:00:00Z', 'Asia/Tokyo').today).toBe('2026-03-01');
  });

  it('follows DST changes (spring forward and fall back)', () => {
    // New York moves to EDT (UTC−4) on 2026-03-08: 04:30Z on Mar 9 is 00:30 EDT, already Mar 9
    // (a fixed EST offset would still say Mar 8).
    expect(at('2026-03-09T04:30:00Z', 'America/New_York').today).toBe('2026-03-09');
    // Before the change, 04:30Z is 23:30 EST of the previous day.
    expect(at('2026-03-08T04:30:00Z', 'America/New_York').today).toBe('2026-03-07');
    const dstDay = at('2026-03-08T15:00:00Z', 'America/New_York');
    expect(dstDay.windows.last7).toEqual({ start: '2026-03-02', end: '2026-03-08' });
    expect(dstDay.tomorrow).toBe('2026-03-09');
    // Berlin goes back to CET (UTC+1) on 2026-10-25.
    expect(at('2026-10-25T22:30:00Z', 'Europe/Berlin').today).toBe('2026-10-25');
    expect(at('2026-10-25T23:30:00Z', 'Europe/Berlin').today).toBe('2026-10-26');
  });

  it('rejects an unknown time zone and a non-finite instant with clear messages', () => {
    expect(() => calendarFor(0, 'Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/);
    expect(() => calendarFor(Number.NaN, 'UTC')).toThrow(/Invalid instant/);
  });
});

describe('months', () => {
  it('monthWindow covers the whole month and rejects malformed months', () => {
    expect(monthWindow('2026-04')).toEqual({ start: '2026-04-01', end: '2026-04-30' });
    expect(monthWindow('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(monthWindow('2100-02')).toEqual({ start: '2100-02-01', end: '2100-02-28' });
    expect(monthWindow('2000-02')).toEqual({ start: '2000-02-01', end: '2000-02-29' });
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-01', 'March', '2026-01-01']) {
      expect(() => monthWindow(bad)).toThrow(/Invalid month/);
    }
  });

  it('tells current, past and future months apart and picks the stats window', () => {
    const cal = at('2026-03-10T12:00:00Z');
    expect(isCurrentMonth('2026-03', cal)).toBe(true);
    expect(isPastMonth('2025-12', cal)).toBe(true);
    expect(isFutureMonth('2026-04', cal)).toBe(true);
    expect(isFutureMonth('2026-03', cal)).toBe(false);
    expect(statsWindowForMonth('2026-03', cal)).toEqual({ start: '2026-03-01', end: '2026-03-10' });
    expect(statsWindowForMonth('2026-02', cal)).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(statsWindowForMonth('2026-05', cal)).toBeNull();
    expect(() => isCurrentMonth('2026-3', cal)).toThrow(/Invalid month/);
  });

  it('previousMonth and addDays cross year boundaries', () => {
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-10')).toBe('2026-09');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(() => addDays('2024/03/01', 1)).toThrow(/Invalid date/);
  });
});
