/**
 * Instants with their business calendar written out by hand (never derived with
 * src/resolvers/calendar): the KPI tests compare the gateway with the ledger over these windows.
 */
import type { KpiScenario } from './kpi-ledger';

const w = (start: string, end: string) => ({ start, end });

/** 2026-02-28 09:00 UTC: a February (28 days); today is only partly elapsed in the ledger. */
export const FEBRUARY_28: KpiScenario = {
  at: '2026-02-28T09:00:00Z', today: '2026-02-28', daysElapsed: 28, daysInMonth: 28,
  windows: {
    mtd: w('2026-02-01', '2026-02-28'), last7: w('2026-02-22', '2026-02-28'), prev7: w('2026-02-15', '2026-02-21'),
    last14: w('2026-02-15', '2026-02-28'), last30: w('2026-01-30', '2026-02-28'), lastMonth: w('2026-01-01', '2026-01-31'),
  },
};

/** Day 1 of a month: MTD is today alone, the projection multiplies it by 31. */
export const DECEMBER_1: KpiScenario = {
  at: '2026-12-01T12:00:00Z', today: '2026-12-01', daysElapsed: 1, daysInMonth: 31,
  windows: {
    mtd: w('2026-12-01', '2026-12-01'), last7: w('2026-11-25', '2026-12-01'), prev7: w('2026-11-18', '2026-11-24'),
    last14: w('2026-11-18', '2026-12-01'), last30: w('2026-11-02', '2026-12-01'), lastMonth: w('2026-11-01', '2026-11-30'),
  },
};

/** The last day of a 31-day month. */
export const DECEMBER_31: KpiScenario = {
  at: '2026-12-31T18:00:00Z', today: '2026-12-31', daysElapsed: 31, daysInMonth: 31,
  windows: {
    mtd: w('2026-12-01', '2026-12-31'), last7: w('2026-12-25', '2026-12-31'), prev7: w('2026-12-18', '2026-12-24'),
    last14: w('2026-12-18', '2026-12-31'), last30: w('2026-12-02', '2026-12-31'), lastMonth: w('2026-11-01', '2026-11-30'),
  },
};

/** Day 1 of a year: every window but MTD reaches into the previous year. */
export const JANUARY_1: KpiScenario = {
  at: '2027-01-01T00:30:00Z', today: '2027-01-01', daysElapsed: 1, daysInMonth: 31,
  windows: {
    mtd: w('2027-01-01', '2027-01-01'), last7: w('2026-12-26', '2027-01-01'), prev7: w('2026-12-19', '2026-12-25'),
    last14: w('2026-12-19', '2027-01-01'), last30: w('2026-12-03', '2027-01-01'), lastMonth: w('2026-12-01', '2026-12-31'),
  },
};

/** 03:00 UTC on 1 March is 22:00 on 28 February in New York (EST): business today is still February. */
export const NEW_YORK_FEBRUARY_28: KpiScenario = { ...FEBRUARY_28, at: '2026-03-01T03:00:00Z' };

/** 02:30 UTC on 1 November 2026 is 22:30 EDT on 31 October (the night DST ends). */
export const NEW_YORK_OCTOBER_31: KpiScenario = {
  at: '2026-11-01T02:30:00Z', today: '2026-10-31', daysElapsed: 31, daysInMonth: 31,
  windows: {
    mtd: w('2026-10-01', '2026-10-31'), last7: w('2026-10-25', '2026-10-31'), prev7: w('2026-10-18', '2026-10-24'),
    last14: w('2026-10-18', '2026-10-31'), last30: w('2026-10-02', '2026-10-31'), lastMonth: w('2026-09-01', '2026-09-30'),
  },
};

/** 2 March: last 30 days reach back over all of a 28-day February to 1 February. */
export const MARCH_2: KpiScenario = {
  at: '2026-03-02T15:00:00Z', today: '2026-03-02', daysElapsed: 2, daysInMonth: 31,
  windows: {
    mtd: w('2026-03-01', '2026-03-02'), last7: w('2026-02-24', '2026-03-02'), prev7: w('2026-02-17', '2026-02-23'),
    last14: w('2026-02-17', '2026-03-02'), last30: w('2026-02-01', '2026-03-02'), lastMonth: w('2026-02-01', '2026-02-28'),
  },
};
