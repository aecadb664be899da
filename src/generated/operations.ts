/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type BillingType =
  | 'PER_LEAD'
  | 'RETAINER';

/** MANUAL: a cost recorded for the month; MAILBOXES: connected mailboxes' monthly price; NONE: unknown */
export type CostSource =
  | 'MAILBOXES'
  | 'MANUAL'
  | 'NONE';

export type DashboardKind =
  | 'INFRASTRUCTURE'
  | 'KPI'
  | 'REVENUE'
  | 'VOLUME';

/** Where a value came from: fetched for this request, the cache, the cache after the upstream failed, or nowhere */
export type DataOrigin =
  | 'CACHE'
  | 'NONE'
  | 'STALE_CACHE'
  | 'UPSTREAM';

/** Judged against the TTL of the dashboard showing the value (KPI: 2 min). FRESH: within the TTL and the last attempt succeeded; STALE: older than the TTL, or the last attempt failed, or a webhook said it changed; VERY_STALE: older than 5 x the TTL; WARNING: fresh but with validation warnings; ERROR: nothing usable */
export type FreshnessState =
  | 'ERROR'
  | 'FRESH'
  | 'STALE'
  | 'VERY_STALE'
  | 'WARNING';

/** ABOVE: leads >= target; ON_TRACK: projection >= target; else BELOW */
export type KpiStatus =
  | 'ABOVE'
  | 'BELOW'
  | 'ON_TRACK';

export type MailboxFilter = {
  /** Reply rate at most this percent */
  maxReplyRate?: number | null | undefined;
  /** At least this many emails sent */
  minSent?: number | null | undefined;
  provider?: string | null | undefined;
  reseller?: string | null | undefined;
  status?: MailboxStatus | null | undefined;
  workspaceId?: number | null | undefined;
};

export type MailboxStatus =
  | 'CONNECTED'
  | 'DISCONNECTED';

/** ON_PACE: projected >= 100 % of the monthly target; NEAR_TARGET: >= 80 %; else BEHIND */
export type VolumePace =
  | 'BEHIND'
  | 'NEAR_TARGET'
  | 'ON_PACE';

export type KpiDashboardQueryVariables = Exact<{ [key: string]: never; }>;


export type KpiDashboardQuery = { kpi: { freshness: { state: FreshnessState, origin: DataOrigin, fetchedAt: string | null, ageSeconds: number | null, refreshing: boolean, message: string | null }, totals: { clients: number, leadsGenerated: number, monthlyKpi: number, projectedReplies: number, currentProgress: number, clientsAbove: number, clientsOnTrack: number, clientsBelow: number }, clients: Array<{ workspaceId: number, name: string, leadsGenerated: number, monthlyKpi: number, projectedReplies: number, currentProgress: number, positiveRepliesLast7Days: number, weekOverWeekChange: number | null, status: KpiStatus, freshness: { state: FreshnessState, ageSeconds: number | null, origin: DataOrigin } }>, warnings: Array<{ workspaceId: number | null, rule: string, message: string }>, errors: Array<{ workspaceId: number | null, code: string, message: string, retryable: boolean }> } };

export type VolumeDashboardQueryVariables = Exact<{ [key: string]: never; }>;


export type VolumeDashboardQuery = { volume: { freshness: { state: FreshnessState, ageSeconds: number | null }, totals: { clients: number, emailsSent: number, monthlyTarget: number, targetPercentage: number, clientsOnPace: number, clientsNearTarget: number, clientsBehind: number }, clients: Array<{ rank: number, workspaceId: number, name: string, emailsSent: number, emailsToday: number, emailsScheduledToday: number, emailsScheduledTomorrow: number, targetPercentage: number, projectedPercentage: number, pace: VolumePace }>, errors: Array<{ workspaceId: number | null, code: string, message: string }> } };

export type RevenueDashboardQueryVariables = Exact<{
  month?: string | null | undefined;
}>;


export type RevenueDashboardQuery = { revenue: { month: string, totals: { revenue: number, costs: number, profit: number, profitMargin: number | null, projectedRevenue: number, possibleRevenue: number, revenueGap: number }, clients: Array<{ rank: number, workspaceId: number, name: string, billingType: BillingType, leads: number, revenue: number, costs: number, costSource: CostSource, profit: number, profitMargin: number | null }>, errors: Array<{ workspaceId: number | null, code: string, message: string }> } };

export type InfrastructureDashboardQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: MailboxFilter | null | undefined;
}>;


export type InfrastructureDashboardQuery = { infrastructure: { freshness: { state: FreshnessState, ageSeconds: number | null }, totals: { mailboxes: number, connected: number, disconnected: number, emailsSent: number, dailyCapacity: number, monthlyCost: number, replyRate: number }, byProvider: Array<{ key: string, mailboxes: number, connected: number, replyRate: number, dailyCapacity: number, monthlyCost: number }>, byReseller: Array<{ key: string, mailboxes: number, connected: number, monthlyCost: number }>, mailboxes: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: number, workspaceId: number, email: string, domain: string, provider: string, reseller: string, status: string, price: number, dailyCapacity: number, replyRate: number } }> } } };

export type RefreshMutationVariables = Exact<{
  dashboard: DashboardKind;
  workspaceId?: number | null | undefined;
}>;


export type RefreshMutation = { refresh: { state: FreshnessState, origin: DataOrigin, fetchedAt: string | null, ageSeconds: number | null } };

export type FreshnessChangedSubscriptionVariables = Exact<{
  dashboard?: DashboardKind | null | undefined;
}>;


export type FreshnessChangedSubscription = { freshnessChanged: { dashboard: DashboardKind, workspaceId: number | null, freshness: { state: FreshnessState, origin: DataOrigin, ageSeconds: number | null, message: string | null } } };


export const KpiDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"KpiDashboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kpi"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"fetchedAt"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"refreshing"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clients"}},{"kind":"Field","name":{"kind":"Name","value":"leadsGenerated"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyKpi"}},{"kind":"Field","name":{"kind":"Name","value":"projectedReplies"}},{"kind":"Field","name":{"kind":"Name","value":"currentProgress"}},{"kind":"Field","name":{"kind":"Name","value":"clientsAbove"}},{"kind":"Field","name":{"kind":"Name","value":"clientsOnTrack"}},{"kind":"Field","name":{"kind":"Name","value":"clientsBelow"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clients"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"leadsGenerated"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyKpi"}},{"kind":"Field","name":{"kind":"Name","value":"projectedReplies"}},{"kind":"Field","name":{"kind":"Name","value":"currentProgress"}},{"kind":"Field","name":{"kind":"Name","value":"positiveRepliesLast7Days"}},{"kind":"Field","name":{"kind":"Name","value":"weekOverWeekChange"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"warnings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]}}]} as unknown as DocumentNode<KpiDashboardQuery, KpiDashboardQueryVariables>;
export const VolumeDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VolumeDashboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"volume"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clients"}},{"kind":"Field","name":{"kind":"Name","value":"emailsSent"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyTarget"}},{"kind":"Field","name":{"kind":"Name","value":"targetPercentage"}},{"kind":"Field","name":{"kind":"Name","value":"clientsOnPace"}},{"kind":"Field","name":{"kind":"Name","value":"clientsNearTarget"}},{"kind":"Field","name":{"kind":"Name","value":"clientsBehind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clients"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"emailsSent"}},{"kind":"Field","name":{"kind":"Name","value":"emailsToday"}},{"kind":"Field","name":{"kind":"Name","value":"emailsScheduledToday"}},{"kind":"Field","name":{"kind":"Name","value":"emailsScheduledTomorrow"}},{"kind":"Field","name":{"kind":"Name","value":"targetPercentage"}},{"kind":"Field","name":{"kind":"Name","value":"projectedPercentage"}},{"kind":"Field","name":{"kind":"Name","value":"pace"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<VolumeDashboardQuery, VolumeDashboardQueryVariables>;
export const RevenueDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RevenueDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"month"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revenue"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"month"},"value":{"kind":"Variable","name":{"kind":"Name","value":"month"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revenue"}},{"kind":"Field","name":{"kind":"Name","value":"costs"}},{"kind":"Field","name":{"kind":"Name","value":"profit"}},{"kind":"Field","name":{"kind":"Name","value":"profitMargin"}},{"kind":"Field","name":{"kind":"Name","value":"projectedRevenue"}},{"kind":"Field","name":{"kind":"Name","value":"possibleRevenue"}},{"kind":"Field","name":{"kind":"Name","value":"revenueGap"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clients"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"billingType"}},{"kind":"Field","name":{"kind":"Name","value":"leads"}},{"kind":"Field","name":{"kind":"Name","value":"revenue"}},{"kind":"Field","name":{"kind":"Name","value":"costs"}},{"kind":"Field","name":{"kind":"Name","value":"costSource"}},{"kind":"Field","name":{"kind":"Name","value":"profit"}},{"kind":"Field","name":{"kind":"Name","value":"profitMargin"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RevenueDashboardQuery, RevenueDashboardQueryVariables>;
export const InfrastructureDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"InfrastructureDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"MailboxFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"infrastructure"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mailboxes"}},{"kind":"Field","name":{"kind":"Name","value":"connected"}},{"kind":"Field","name":{"kind":"Name","value":"disconnected"}},{"kind":"Field","name":{"kind":"Name","value":"emailsSent"}},{"kind":"Field","name":{"kind":"Name","value":"dailyCapacity"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyCost"}},{"kind":"Field","name":{"kind":"Name","value":"replyRate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byProvider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"mailboxes"}},{"kind":"Field","name":{"kind":"Name","value":"connected"}},{"kind":"Field","name":{"kind":"Name","value":"replyRate"}},{"kind":"Field","name":{"kind":"Name","value":"dailyCapacity"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyCost"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byReseller"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"mailboxes"}},{"kind":"Field","name":{"kind":"Name","value":"connected"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyCost"}}]}},{"kind":"Field","name":{"kind":"Name","value":"mailboxes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"reseller"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"price"}},{"kind":"Field","name":{"kind":"Name","value":"dailyCapacity"}},{"kind":"Field","name":{"kind":"Name","value":"replyRate"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<InfrastructureDashboardQuery, InfrastructureDashboardQueryVariables>;
export const RefreshDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Refresh"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dashboard"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DashboardKind"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refresh"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"dashboard"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dashboard"}}},{"kind":"Argument","name":{"kind":"Name","value":"workspaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"fetchedAt"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}}]}}]}}]} as unknown as DocumentNode<RefreshMutation, RefreshMutationVariables>;
export const FreshnessChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"FreshnessChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dashboard"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DashboardKind"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"freshnessChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"dashboard"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dashboard"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dashboard"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<FreshnessChangedSubscription, FreshnessChangedSubscriptionVariables>;