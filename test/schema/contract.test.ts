/**
 * The public contract cannot drift by accident: the committed schema.graphql must be exactly what
 * the code builds (regenerate with `npm run codegen`), and it must keep every name DESIGN.md
 * promises to clients.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, isNonNullType, lexicographicSortSchema, printSchema, type GraphQLField } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printContract, schema } from '../../src/schema';
import { undescribed } from './descriptions';

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

  it('describes every type, field, argument, input field and enum value (only GraphQL\'s own scalars and introspection are exempt)', () => {
    expect(undescribed(schema)).toEqual([]);
    // Relay's generated types are described too, and arguments name their limits.
    expect(schema.getType('PageInfo')?.description).toBeTruthy();
    const mailboxes = (schema.getType('InfrastructureDashboard') as any).getFields().mailboxes as GraphQLField<unknown, unknown>;
    expect(mailboxes.args.find((a) => a.name === 'first')?.description).toMatch(/0 to 1000/);
    expect((schema.getQueryType()!.getFields().revenue.description)).toMatch(/ADMIN tokens only/);
    expect((schema.getType('Health') as any).getFields().score.description).not.toMatch(/src\/|\.md|\.sql/);
  });

  it('the description check finds what is missing', () => {
    const bare = buildSchema(`
      "described" type Query { "described" a(x: Int): E  b: Int }
      enum E { ONE "described" TWO }
      "described" input I { f: Int }
      type Unused { g: Int }
    `);
    expect(undescribed(bare)).toEqual(['E', 'E.ONE', 'I.f', 'Query.a(x:)', 'Query.b', 'Unused', 'Unused.g']);
  });

  it('a field some tokens may not read is nullable, so refusing it nulls only itself (mutations and subscriptions are refused whole)', () => {
    const scoped: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!('getFields' in type) || type.name.startsWith('__') || type === schema.getMutationType() || type === schema.getSubscriptionType()) continue;
      for (const field of Object.values((type as any).getFields() as Record<string, GraphQLField<unknown, unknown>>)) {
        if (!(field.extensions as any)?.pothosOptions?.authScopes) continue;
        scoped.push(`${type.name}.${field.name}`);
        expect(isNonNullType(field.type), `${type.name}.${field.name} has an auth scope`).toBe(false);
      }
    }
    expect(scoped.sort()).toEqual(['Health.breakers', 'Health.issues', 'InfrastructureDashboard.mailboxes', 'Query.apiTokens', 'Query.clients', 'Query.revenue']);
  });

  it('fails when the committed file differs', () => {
    const drifted = committed.replace('leadsGenerated: Int!', 'leadsGeneratedRenamed: Int!');
    expect(drifted).not.toBe(committed);
    expect(printSchema(lexicographicSortSchema(buildSchema(drifted)))).not.toBe(printContract());
  });
});
