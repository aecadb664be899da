/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** How a client pays the agency */
export type BillingType =
  /** pricePerLead for every interested lead */
  | 'PER_LEAD'
  /** retainerAmount a month, whatever the leads */
  | 'RETAINER';

/** Where a revenue row's `costs` came from */
export type CostSource =
  /** The monthly price of the workspace's connected mailboxes (the infrastructure rules and overrides) */
  | 'MAILBOXES'
  /** A cost recorded by hand for the month (setMonthlyCost) */
  | 'MANUAL'
  /** Neither is known (costs 0) */
  | 'NONE';

/** The four dashboards (each has its own TTL: KPI and VOLUME 2 min, REVENUE 5 min, INFRASTRUCTURE 10 min by default) */
export type DashboardKind =
  /** Every mailbox, priced and sized, and its aggregates (`infrastructure`) */
  | 'INFRASTRUCTURE'
  /** Interested leads against each client's monthly target (`kpi`) */
  | 'KPI'
  /** What each client earned the agency, and at what cost (`revenue`; ADMIN tokens only) */
  | 'REVENUE'
  /** Emails sent against each client's sending target (`volume`) */
  | 'VOLUME';

/** Where a value came from */
export type DataOrigin =
  /** The gateway's cache */
  | 'CACHE'
  /** Nowhere: there is no value */
  | 'NONE'
  /** The cache, because the last attempt to refresh it failed: state is never FRESH then, and message says what failed and since when */
  | 'STALE_CACHE'
  /** Fetched from Email Bison for this request */
  | 'UPSTREAM';

/** How fresh a value is, judged against the TTL of the dashboard showing it (KPI: 2 min) */
export type FreshnessState =
  /** Nothing usable: never fetched, or older than the stale-if-error limit (1 h) */
  | 'ERROR'
  /** Within the TTL, and the last attempt to fetch it succeeded */
  | 'FRESH'
  /** Older than the TTL, or the last attempt failed (origin STALE_CACHE), or an Email Bison webhook said it changed */
  | 'STALE'
  /** Older than 5 x the TTL (KPI: 10 min) */
  | 'VERY_STALE'
  /** Fresh, but validation warnings are attached (the message names them) */
  | 'WARNING';

/** The health score in one word */
export type HealthStatus =
  /** score 50 to 79 */
  | 'DEGRADED'
  /** score >= 80 */
  | 'HEALTHY'
  /** score below 50 */
  | 'UNHEALTHY';

/** Where a client stands against its monthly KPI (a client without a target is ABOVE, and warned NO_KPI_TARGET) */
export type KpiStatus =
  /** leadsGenerated >= monthlyKpi: the target is met */
  | 'ABOVE'
  /** projectedReplies < monthlyKpi: missed at this pace */
  | 'BELOW'
  /** Not met yet, but projectedReplies >= monthlyKpi: met by month end at this pace */
  | 'ON_TRACK';

/** Which mailboxes a page lists: every criterion given must hold; null or absent criteria keep everything */
export type MailboxFilter = {
  /** Reply rate at most this percent (0-100) */
  maxReplyRate?: number | null | undefined;
  /** At least this many emails sent, lifetime (0 or more) */
  minSent?: number | null | undefined;
  /**
   * Only this provider, by name: case-insensitive, "gmail" is Google, "microsoft" is Outlook; a name that is no provider is refused (BAD_USER_INPUT)
   * @deprecated Use `providers`: an enum list, checked by the schema
   */
  provider?: string | null | undefined;
  /** Only these providers (any of them); an empty list keeps none */
  providers?: Array<MailboxProvider> | null | undefined;
  /**
   * Only this reseller, by name: case-insensitive, numbered batches ("CheapInboxes - 2") allowed; a name that is no reseller is refused (BAD_USER_INPUT)
   * @deprecated Use `resellers`: an enum list, checked by the schema
   */
  reseller?: string | null | undefined;
  /** Only these resellers (any of them); an empty list keeps none */
  resellers?: Array<MailboxReseller> | null | undefined;
  /** Only connected, or only disconnected, mailboxes */
  status?: MailboxStatus | null | undefined;
  /** Only this workspace's mailboxes (a CLIENT token: its own only, another one is FORBIDDEN) */
  workspaceId?: number | null | undefined;
};

/** Who hosts a mailbox (the values of Mailbox.provider, in capitals) */
export type MailboxProvider =
  /** AOL */
  | 'AOL'
  /** Custom SMTP/IMAP hosting */
  | 'CUSTOM'
  /** Google Workspace or Gmail (a "Gmail" tag counts as Google) */
  | 'GOOGLE'
  /** iCloud */
  | 'ICLOUD'
  /** Microsoft 365 or Outlook (a "Microsoft" tag counts too; ScaledMail and Mailr mailboxes are Outlook) */
  | 'OUTLOOK'
  /** No provider tag and no hint from the connection type */
  | 'UNKNOWN'
  /** Yahoo */
  | 'YAHOO';

/** Who sold a mailbox (the values of Mailbox.reseller, in capitals); the reseller decides the price */
export type MailboxReseller =
  /** CheapInboxes: $3.00 a month per mailbox */
  | 'CHEAPINBOXES'
  /** Mailr: $0.91 a month per mailbox; 495 emails a day shared by its mailboxes on a domain */
  | 'MAILR'
  /** ScaledMail: $50 a month per domain, shared by its mailboxes there; 5 emails a day each (8 when 25-48 on the domain) */
  | 'SCALEDMAIL'
  /** No reseller tag: priced 0 and flagged needsPriceReview */
  | 'UNKNOWN'
  /** Zapmail: $3.00 a month per mailbox */
  | 'ZAPMAIL';

/** Whether a mailbox is connected to Email Bison */
export type MailboxStatus =
  /** Connected: it sends, and it is counted in capacity and cost */
  | 'CONNECTED'
  /** Anything but connected: it sends nothing */
  | 'DISCONNECTED';

/** What a bearer token may do */
export type Role =
  /** Everything: every workspace, revenue, administration */
  | 'ADMIN'
  /** One workspace: its own rows of KPI, volume and infrastructure, its health and cache entries, and `refresh` of it; no revenue, no other mutation */
  | 'CLIENT';

/** Where a client's sending is heading, by projectedPercentage (the month-end projection as a percent of the monthly target) */
export type VolumePace =
  /** projectedPercentage < 80 */
  | 'BEHIND'
  /** projectedPercentage >= 80 */
  | 'NEAR_TARGET'
  /** projectedPercentage >= 100: the target is reached by month end */
  | 'ON_PACE';

export type IssueApiTokenMutationVariables = Exact<{
  role: Role;
  workspaceId?: number | null | undefined;
  label?: string | null | undefined;
}>;


export type IssueApiTokenMutation = { issueApiToken: { id: number, token: string, apiToken: { role: Role, workspaceId: number | null, label: string | null, createdAt: string } } };

export type ApiTokensQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiTokensQuery = { apiTokens: Array<{ id: number, role: Role, workspaceId: number | null, label: string | null, createdAt: string, lastUsedAt: string | null, revoked: boolean, revokedAt: string | null }> | null };

export type RevokeApiTokenMutationVariables = Exact<{
  id: number;
}>;


export type RevokeApiTokenMutation = { revokeApiToken: boolean };

export type KpiDashboardQueryVariables = Exact<{ [key: string]: never; }>;


export type KpiDashboardQuery = { kpi: { freshness: { state: FreshnessState, origin: DataOrigin, fetchedAt: string | null, ageSeconds: number | null, refreshing: boolean, message: string | null }, totals: { clients: number, leadsGenerated: number, monthlyKpi: number, projectedReplies: number, currentProgress: number, clientsAbove: number, clientsOnTrack: number, clientsBelow: number }, clients: Array<{ workspaceId: number, name: string, leadsGenerated: number, monthlyKpi: number, projectedReplies: number, currentProgress: number, positiveRepliesLast7Days: number, weekOverWeekChange: number | null, status: KpiStatus, freshness: { state: FreshnessState, ageSeconds: number | null, origin: DataOrigin } }>, warnings: Array<{ workspaceId: number | null, rule: string, message: string }>, errors: Array<{ workspaceId: number | null, code: string, message: string, retryable: boolean }> } };

export type VolumeDashboardQueryVariables = Exact<{ [key: string]: never; }>;


export type VolumeDashboardQuery = { volume: { freshness: { state: FreshnessState, ageSeconds: number | null }, totals: { clients: number, emailsSent: number, monthlyTarget: number, targetPercentage: number, clientsOnPace: number, clientsNearTarget: number, clientsBehind: number }, clients: Array<{ rank: number, workspaceId: number, name: string, emailsSent: number, emailsToday: number, emailsScheduledToday: number, emailsScheduledTomorrow: number, targetPercentage: number, projectedPercentage: number, pace: VolumePace }>, errors: Array<{ workspaceId: number | null, code: string, message: string }> } };

export type RevenueDashboardQueryVariables = Exact<{
  month?: string | null | undefined;
}>;


export type RevenueDashboardQuery = { revenue: { month: string, totals: { revenue: number, costs: number, profit: number, profitMargin: number | null, projectedRevenue: number, possibleRevenue: number, revenueGap: number }, clients: Array<{ rank: number, workspaceId: number, name: string, billingType: BillingType, leads: number, revenue: number, costs: number, costSource: CostSource, profit: number, profitMargin: number | null }>, errors: Array<{ workspaceId: number | null, code: string, message: string }> } | null };

export type InfrastructureDashboardQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  filter?: MailboxFilter | null | undefined;
}>;


export type InfrastructureDashboardQuery = { infrastructure: { freshness: { state: FreshnessState, ageSeconds: number | null }, totals: { mailboxes: number, connected: number, disconnected: number, emailsSent: number, dailyCapacity: number, monthlyCost: number, replyRate: number }, byProvider: Array<{ key: string, mailboxes: number, connected: number, replyRate: number, dailyCapacity: number, monthlyCost: number }>, byReseller: Array<{ key: string, mailboxes: number, connected: number, monthlyCost: number }>, mailboxes: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: number, workspaceId: number, email: string, domain: string, provider: string, reseller: string, status: string, price: number, dailyCapacity: number, replyRate: number } }> } | null } };

export type RefreshMutationVariables = Exact<{
  dashboard: DashboardKind;
  workspaceId?: number | null | undefined;
}>;


export type RefreshMutation = { refresh: { state: FreshnessState, origin: DataOrigin, fetchedAt: string | null, ageSeconds: number | null } };

export type FreshnessChangedSubscriptionVariables = Exact<{
  dashboard?: DashboardKind | null | undefined;
}>;


export type FreshnessChangedSubscription = { freshnessChanged: { dashboard: DashboardKind, workspaceId: number | null, freshness: { state: FreshnessState, origin: DataOrigin, ageSeconds: number | null, message: string | null } } };

export type KpiUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type KpiUpdatedSubscription = { kpiUpdated: { changedWorkspaceIds: Array<number>, kpi: { freshness: { state: FreshnessState, origin: DataOrigin, ageSeconds: number | null, message: string | null }, totals: { clients: number, leadsGenerated: number, monthlyKpi: number, clientsAbove: number, clientsOnTrack: number, clientsBelow: number }, clients: Array<{ workspaceId: number, name: string, leadsGenerated: number, monthlyKpi: number, projectedReplies: number, status: KpiStatus, freshness: { state: FreshnessState, origin: DataOrigin, ageSeconds: number | null } }>, errors: Array<{ workspaceId: number | null, code: string, message: string }> } } };

export type HealthChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type HealthChangedSubscription = { healthChanged: { score: number, status: HealthStatus, computedAt: string } };

export type KpiStreamedQueryVariables = Exact<{ [key: string]: never; }>;


export type KpiStreamedQuery = { kpiStream: Array<{ workspaceId: number, name: string, leadsGenerated: number, monthlyKpi: number, projectedReplies: number, status: KpiStatus, freshness: { state: FreshnessState, origin: DataOrigin, ageSeconds: number | null } }> } & ({ kpi: { totals: { clients: number, leadsGenerated: number, monthlyKpi: number, projectedReplies: number, clientsAbove: number, clientsOnTrack: number, clientsBelow: number }, errors: Array<{ workspaceId: number | null, code: string, message: string }> } } | { kpi?: never });


export const IssueApiTokenDocument = {"__meta__":{"hash":"207c975d5d2d3251c3253821502c81d64c855891380cc16a8e79190394d437d5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"IssueApiToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"role"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Role"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"label"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issueApiToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"role"},"value":{"kind":"Variable","name":{"kind":"Name","value":"role"}}},{"kind":"Argument","name":{"kind":"Name","value":"workspaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"label"},"value":{"kind":"Variable","name":{"kind":"Name","value":"label"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"apiToken"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]} as unknown as DocumentNode<IssueApiTokenMutation, IssueApiTokenMutationVariables>;
export const ApiTokensDocument = {"__meta__":{"hash":"f4f55f569466a3c42010d34351a2b775847a358f3548a7700c2fda61e98afddc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ApiTokens"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiTokens"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"revoked"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]}}]} as unknown as DocumentNode<ApiTokensQuery, ApiTokensQueryVariables>;
export const RevokeApiTokenDocument = {"__meta__":{"hash":"e0c3a7088ee33096aed5d7af279792f0043333bbf087e956b15ed6ffb7388d2c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokeApiToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeApiToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<RevokeApiTokenMutation, RevokeApiTokenMutationVariables>;
export const KpiDashboardDocument = {"__meta__":{"hash":"18fe0e8e44070661b66c00ccf745004e80a612f2c36d4ecea62f22080e3a23eb"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"KpiDashboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kpi"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"fetchedAt"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"refreshing"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clients"}},{"kind":"Field","name":{"kind":"Name","value":"leadsGenerated"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyKpi"}},{"kind":"Field","name":{"kind":"Name","value":"projectedReplies"}},{"kind":"Field","name":{"kind":"Name","value":"currentProgress"}},{"kind":"Field","name":{"kind":"Name","value":"clientsAbove"}},{"kind":"Field","name":{"kind":"Name","value":"clientsOnTrack"}},{"kind":"Field","name":{"kind":"Name","value":"clientsBelow"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clients"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"leadsGenerated"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyKpi"}},{"kind":"Field","name":{"kind":"Name","value":"projectedReplies"}},{"kind":"Field","name":{"kind":"Name","value":"currentProgress"}},{"kind":"Field","name":{"kind":"Name","value":"positiveRepliesLast7Days"}},{"kind":"Field","name":{"kind":"Name","value":"weekOverWeekChange"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"warnings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]}}]} as unknown as DocumentNode<KpiDashboardQuery, KpiDashboardQueryVariables>;
export const VolumeDashboardDocument = {"__meta__":{"hash":"3e7105e0baed20b0be85ab6614ae805df30b14e39d323b1eb0eaad9566fc12f1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VolumeDashboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"volume"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clients"}},{"kind":"Field","name":{"kind":"Name","value":"emailsSent"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyTarget"}},{"kind":"Field","name":{"kind":"Name","value":"targetPercentage"}},{"kind":"Field","name":{"kind":"Name","value":"clientsOnPace"}},{"kind":"Field","name":{"kind":"Name","value":"clientsNearTarget"}},{"kind":"Field","name":{"kind":"Name","value":"clientsBehind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clients"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"emailsSent"}},{"kind":"Field","name":{"kind":"Name","value":"emailsToday"}},{"kind":"Field","name":{"kind":"Name","value":"emailsScheduledToday"}},{"kind":"Field","name":{"kind":"Name","value":"emailsScheduledTomorrow"}},{"kind":"Field","name":{"kind":"Name","value":"targetPercentage"}},{"kind":"Field","name":{"kind":"Name","value":"projectedPercentage"}},{"kind":"Field","name":{"kind":"Name","value":"pace"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<VolumeDashboardQuery, VolumeDashboardQueryVariables>;
export const RevenueDashboardDocument = {"__meta__":{"hash":"f76e61d79ad20c9aeb68f84446a16c45cb11a78339308b7e1f7fe971d46a66bd"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RevenueDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"month"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revenue"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"month"},"value":{"kind":"Variable","name":{"kind":"Name","value":"month"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revenue"}},{"kind":"Field","name":{"kind":"Name","value":"costs"}},{"kind":"Field","name":{"kind":"Name","value":"profit"}},{"kind":"Field","name":{"kind":"Name","value":"profitMargin"}},{"kind":"Field","name":{"kind":"Name","value":"projectedRevenue"}},{"kind":"Field","name":{"kind":"Name","value":"possibleRevenue"}},{"kind":"Field","name":{"kind":"Name","value":"revenueGap"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clients"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"billingType"}},{"kind":"Field","name":{"kind":"Name","value":"leads"}},{"kind":"Field","name":{"kind":"Name","value":"revenue"}},{"kind":"Field","name":{"kind":"Name","value":"costs"}},{"kind":"Field","name":{"kind":"Name","value":"costSource"}},{"kind":"Field","name":{"kind":"Name","value":"profit"}},{"kind":"Field","name":{"kind":"Name","value":"profitMargin"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RevenueDashboardQuery, RevenueDashboardQueryVariables>;
export const InfrastructureDashboardDocument = {"__meta__":{"hash":"8ac345e70a91ad6792c533af8cec6b8f086452566baa93ab34e47626e0b3d261"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"InfrastructureDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"MailboxFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"infrastructure"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mailboxes"}},{"kind":"Field","name":{"kind":"Name","value":"connected"}},{"kind":"Field","name":{"kind":"Name","value":"disconnected"}},{"kind":"Field","name":{"kind":"Name","value":"emailsSent"}},{"kind":"Field","name":{"kind":"Name","value":"dailyCapacity"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyCost"}},{"kind":"Field","name":{"kind":"Name","value":"replyRate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byProvider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"mailboxes"}},{"kind":"Field","name":{"kind":"Name","value":"connected"}},{"kind":"Field","name":{"kind":"Name","value":"replyRate"}},{"kind":"Field","name":{"kind":"Name","value":"dailyCapacity"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyCost"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byReseller"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"mailboxes"}},{"kind":"Field","name":{"kind":"Name","value":"connected"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyCost"}}]}},{"kind":"Field","name":{"kind":"Name","value":"mailboxes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"reseller"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"price"}},{"kind":"Field","name":{"kind":"Name","value":"dailyCapacity"}},{"kind":"Field","name":{"kind":"Name","value":"replyRate"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<InfrastructureDashboardQuery, InfrastructureDashboardQueryVariables>;
export const RefreshDocument = {"__meta__":{"hash":"94bd8c2a94bceaa6d190640aca75aae57a3eba1d468e83bf038b00b4b1c20d2d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Refresh"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dashboard"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DashboardKind"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refresh"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"dashboard"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dashboard"}}},{"kind":"Argument","name":{"kind":"Name","value":"workspaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"fetchedAt"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}}]}}]}}]} as unknown as DocumentNode<RefreshMutation, RefreshMutationVariables>;
export const FreshnessChangedDocument = {"__meta__":{"hash":"1a60df6523f6392385d9ab0cb01d0ca8813fab9906e438e04537cd231b6a6691"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"FreshnessChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dashboard"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DashboardKind"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"freshnessChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"dashboard"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dashboard"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dashboard"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<FreshnessChangedSubscription, FreshnessChangedSubscriptionVariables>;
export const KpiUpdatedDocument = {"__meta__":{"hash":"24aa4a5b40c138673ff0d300e06c84d51c3f63a53501cc5046dca4b53d2e56b1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"KpiUpdated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kpiUpdated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changedWorkspaceIds"}},{"kind":"Field","name":{"kind":"Name","value":"kpi"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clients"}},{"kind":"Field","name":{"kind":"Name","value":"leadsGenerated"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyKpi"}},{"kind":"Field","name":{"kind":"Name","value":"clientsAbove"}},{"kind":"Field","name":{"kind":"Name","value":"clientsOnTrack"}},{"kind":"Field","name":{"kind":"Name","value":"clientsBelow"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clients"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"leadsGenerated"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyKpi"}},{"kind":"Field","name":{"kind":"Name","value":"projectedReplies"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<KpiUpdatedSubscription, KpiUpdatedSubscriptionVariables>;
export const HealthChangedDocument = {"__meta__":{"hash":"2016945653c90b49338bcfaa5fe51ad2b08e225bcc6e9fb3008a70f9c413f71a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"HealthChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"healthChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"computedAt"}}]}}]}}]} as unknown as DocumentNode<HealthChangedSubscription, HealthChangedSubscriptionVariables>;
export const KpiStreamedDocument = {"__meta__":{"hash":"f8c51cdb050a561d8f3106b0b0c6bcbc1554d5f035c6e952ddded2624848502f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"KpiStreamed"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kpiStream"},"directives":[{"kind":"Directive","name":{"kind":"Name","value":"stream"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"initialCount"},"value":{"kind":"IntValue","value":"0"}}]}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"leadsGenerated"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyKpi"}},{"kind":"Field","name":{"kind":"Name","value":"projectedReplies"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}}]}}]}},{"kind":"InlineFragment","directives":[{"kind":"Directive","name":{"kind":"Name","value":"defer"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kpi"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clients"}},{"kind":"Field","name":{"kind":"Name","value":"leadsGenerated"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyKpi"}},{"kind":"Field","name":{"kind":"Name","value":"projectedReplies"}},{"kind":"Field","name":{"kind":"Name","value":"clientsAbove"}},{"kind":"Field","name":{"kind":"Name","value":"clientsOnTrack"}},{"kind":"Field","name":{"kind":"Name","value":"clientsBelow"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<KpiStreamedQuery, KpiStreamedQueryVariables>;