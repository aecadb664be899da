/**
 * The public contract cannot drift by accident: the committed schema.graphql must be exactly what
 * the code builds (regenerate with `npm run codegen`), and it must keep every name DESIGN.md
 * promises to clients.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printContract, schema } from '../../src/schema';

const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');

describe('public GraphQL contract', () => {
  it('matches the committed schema.graphql (run `npm run codegen` after changing the schema)', () => {
    expect(printSchema(lexicographicSortSchema(buildSchema(committed)))).toBe(printContract());
  });

  it('keeps the names DESIGN.md promises', () => {
    const fields = (type: string) => Object.keys((schema.getType(type) as any).getFields());
    expect(fields('Query')).toEqual(expect.arrayContaining(['kpi', 'volume', 'revenue', 'infrastructure', 'workspaces', 'health', 'cacheStats']));
    expect(fields('Mutation')).toEqual(expect.arrayContaining(['refresh', 'clearCache', 'upsertClient', 'createApiToken']));
    expect(fields('Subscription')).toEqual(expect.arrayContaining(['freshnessChanged', 'healthChanged']));
    expect(fields('Freshness').sort()).toEqual(['ageSeconds', 'fetchedAt', 'message', 'nextRefreshAt', 'origin', 'refreshing', 'state']);
    expect(fields('ValidationWarning').sort()).toEqual(['field', 'message', 'rule', 'workspaceId']);
    expect(fields('SourceError').sort()).toEqual(['code', 'message', 'retryable', 'workspaceId']);
    for (const dashboard of ['KpiDashboard', 'VolumeDashboard', 'RevenueDashboard', 'InfrastructureDashboard']) {
      expect(fields(dashboard)).toEqual(expect.arrayContaining(['freshness', 'warnings', 'errors', 'totals']));
    }
    for (const row of ['KpiClient', 'VolumeClient', 'RevenueClient', 'Mailbox']) {
      expect(fields(row)).toEqual(expect.arrayContaining(['workspaceId', 'name']));
    }
    expect(fields('InfrastructureDashboard')).toEqual(expect.arrayContaining(['mailboxes', 'byProvider', 'byReseller', 'byWorkspace', 'silentMailboxes']));
    const enumValues = (name: string) => (schema.getType(name) as any).getValues().map((v: { name: string }) => v.name);
    expect(enumValues('FreshnessState').sort()).toEqual(['ERROR', 'FRESH', 'STALE', 'VERY_STALE', 'WARNING']);
    expect(enumValues('DataOrigin').sort()).toEqual(['CACHE', 'NONE', 'STALE_CACHE', 'UPSTREAM']);
    expect(enumValues('DashboardKind').sort()).toEqual(['INFRASTRUCTURE', 'KPI', 'REVENUE', 'VOLUME']);
  });

  it('fails when the committed file differs', () => {
    const drifted = committed.replace('leadsGenerated: Int!', 'leadsGeneratedRenamed: Int!');
    expect(drifted).not.toBe(committed);
    expect(printSchema(lexicographicSortSchema(buildSchema(drifted)))).not.toBe(printContract());
  });
});
