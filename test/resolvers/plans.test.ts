/**
 * Each dashboard's plan reads exactly the resource kinds the freshness policy says it is built
 * from: the policy decides a resource's TTL from that table, so a plan reading anything else
 * would be refreshed on the wrong schedule.
 */
import { describe, expect, it } from 'vitest';
import { calendarFor } from '../../src/resolvers/arithmetic/calendar';
import { dashboardResources } from '../../src/resolvers/plans';
import { DASHBOARDS, DASHBOARD_RESOURCES } from '../../src/sources/freshness';

describe('dashboard plans and the freshness policy agree', () => {
  const cal = calendarFor(Date.parse('2026-11-20T12:00:00Z'), 'UTC');

  it.each(DASHBOARDS)('%s reads exactly its declared resource kinds', (dashboard) => {
    const kinds = new Set(dashboardResources(dashboard, 7, cal).map((r) => r.kind));
    expect([...kinds].sort()).toEqual([...DASHBOARD_RESOURCES[dashboard]].sort());
  });
});
