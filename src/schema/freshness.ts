/** Freshness, validation warnings and per-workspace errors: what every dashboard and row carries. */
import type { Freshness } from '../sources/freshness';
import type { SourceErrorInfo } from '../sources/errors';
import { builder } from './builder';

export const FreshnessState = builder.enumType('FreshnessState', {
  values: ['FRESH', 'STALE', 'VERY_STALE', 'WARNING', 'ERROR'] as const,
  description: 'FRESH < 2 min old, STALE 2-10 min, VERY_STALE > 10 min, WARNING: validation warnings present, ERROR: nothing usable',
});

export const DataOrigin = builder.enumType('DataOrigin', {
  values: ['UPSTREAM', 'CACHE', 'STALE_CACHE', 'NONE'] as const,
  description: 'Where a value came from: fetched for this request, the cache, the cache after the upstream failed, or nowhere',
});

export const FreshnessRef = builder.objectRef<Freshness>('Freshness').implement({
  description: 'How fresh a value is and where it came from',
  fields: (t) => ({
    state: t.field({ type: FreshnessState, resolve: (f) => f.state }),
    origin: t.field({ type: DataOrigin, resolve: (f) => f.origin }),
    fetchedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Upstream fetch time of the oldest part of this value',
      resolve: (f) => f.fetchedAt,
    }),
    ageSeconds: t.int({ nullable: true, resolve: (f) => f.ageSeconds }),
    refreshing: t.boolean({ description: 'A background refresh is in flight', resolve: (f) => f.refreshing }),
    nextRefreshAt: t.field({ type: 'DateTime', nullable: true, resolve: (f) => f.nextRefreshAt }),
    message: t.string({ nullable: true, resolve: (f) => f.message }),
  }),
});

export interface WarningShape {
  workspaceId: number | null;
  field: string | null;
  rule: string;
  message: string;
}

export const ValidationWarningRef = builder.objectRef<WarningShape>('ValidationWarning').implement({
  description: 'A rule flagged this value; the data is still served',
  fields: (t) => ({
    workspaceId: t.int({ nullable: true, resolve: (w) => w.workspaceId }),
    field: t.string({ nullable: true, resolve: (w) => w.field }),
    rule: t.exposeString('rule'),
    message: t.exposeString('message'),
  }),
});

export const SourceErrorRef = builder.objectRef<SourceErrorInfo>('SourceError').implement({
  description: 'A workspace whose data could not be served (it is left out of the rows)',
  fields: (t) => ({
    workspaceId: t.int({ nullable: true, resolve: (e) => e.workspaceId }),
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    retryable: t.exposeBoolean('retryable'),
  }),
});
