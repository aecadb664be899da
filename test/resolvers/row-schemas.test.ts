import { describe, expect, it } from 'vitest';
import { calendarFor } from '../../src/resolvers/arithmetic/calendar';
import { buildInfrastructure } from '../../src/resolvers/arithmetic/infrastructure';
import { buildKpiDashboard } from '../../src/resolvers/arithmetic/kpi';
import { buildRevenueDashboard } from '../../src/resolvers/arithmetic/revenue';
import {
  checkRows, infrastructureGroupSchema, kpiClientRowSchema, mailboxSchema, revenueClientRowSchema, volumeClientRowSchema,
} from '../../src/resolvers/arithmetic/row-schemas';
import { buildVolumeDashboard } from '../../src/resolvers/arithmetic/volume';
import { client, mailbox, stats } from './fixtures';

const cal = calendarFor(Date.parse('2026-03-10T12:00:00Z'), 'UTC');
const s = stats({ interested: 4, emails_sent: 400 });

describe('row invariants', () => {
  it('rows the builders produce from sane inputs pass', () => {
    const kpi = buildKpiDashboard([{ client: client({ workspaceId: 1, monthlyKpiTarget: 10 }), stats: { mtd: s, last7: s, prev7: s, last14: s, last30: s, lastMonth: s } }], cal);
    expect(checkRows(kpi.clients, kpiClientRowSchema).invalid).toEqual([]);
    const volume = buildVolumeDashboard([{ client: client({ workspaceId: 1, monthlySendingTarget: 1000 }), stats: { mtd: s, today: s, last7: s, last14: s, last30: s }, schedules: { today: [], tomorrow: [] } }], cal);
    expect(checkRows(volume.clients, volumeClientRowSchema).invalid).toEqual([]);
    const revenue = buildRevenueDashboard([{ client: client({ workspaceId: 1, pricePerLead: 5 }), stats: s, mailboxCost: 3, manualCost: null }], '2026-03', cal);
    expect(checkRows(revenue.clients, revenueClientRowSchema).invalid).toEqual([]);
    const infra = buildInfrastructure([mailbox({ id: 1, workspaceId: 1 })]);
    expect(checkRows(infra.mailboxes, mailboxSchema).invalid).toEqual([]);
    expect(checkRows(infra.byProvider, infrastructureGroupSchema).invalid).toEqual([]);
  });

  it('returns violating rows with their index and the offending fields, keeps the rest', () => {
    const kpi = buildKpiDashboard([
      { client: client({ workspaceId: 1, monthlyKpiTarget: 10 }), stats: { mtd: s, last7: s, prev7: s, last14: s, last30: s, lastMonth: s } },
    ], cal).clients[0];
    const broken = [kpi, { ...kpi, leadsGenerated: -1 }, { ...kpi, currentProgress: Number.NaN }, { ...kpi, projectedReplies: 1 }];
    const { valid, invalid } = checkRows(broken, kpiClientRowSchema);
    expect(valid).toEqual([kpi]);
    expect(invalid.map((i) => [i.index, i.issues.map((x) => x.path)])).toEqual([
      [1, ['leadsGenerated']], [2, ['currentProgress']], [3, ['projectedReplies']],
    ]);
  });

  it('catches rank 0, an infinite ratio, a margin with no revenue, a reply rate above 100 % and group counts that do not add up', () => {
    const base = { workspaceId: 1, name: 'A', billingType: 'PER_LEAD', leads: 0, revenue: 0, costs: 0, costSource: 'NONE', profit: 0, profitMargin: null, kpiProgress: 0, monthlyKpi: 0, possibleRevenue: 0, projectedRevenue: 0, rank: 1 };
    const rev = checkRows([base, { ...base, rank: 0 }, { ...base, kpiProgress: Infinity }, { ...base, profitMargin: 5 }], revenueClientRowSchema);
    expect(rev.invalid.map((i) => [i.index, i.issues[0].path])).toEqual([[1, 'rank'], [2, 'kpiProgress'], [3, 'profitMargin']]);
    expect(checkRows([mailbox({ id: 1, workspaceId: 1, replyRate: 150 })], mailboxSchema).invalid[0].issues[0].path).toBe('replyRate');
    const group = { key: 'Google', workspaceId: null, mailboxes: 3, connected: 1, disconnected: 1, emailsSent: 0, replies: 0, replyRate: 0, dailyCapacity: 0, monthlyCost: 0 };
    expect(checkRows([group], infrastructureGroupSchema).invalid[0].issues[0].path).toBe('mailboxes');
  });
});
