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
  | 'Custom'
  /** Google Workspace or Gmail (a "Gmail" tag counts as Google) */
  | 'Google'
  /** iCloud */
  | 'iCloud'
  /** Microsoft 365 or Outlook (a "Microsoft" tag counts too; ScaledMail and Mailr mailboxes are Outlook) */
  | 'Outlook'
  /** No provider tag and no hint from the connection type */
  | 'Unknown'
  /** Yahoo */
  | 'Yahoo';

/** Who sold a mailbox (the values of Mailbox.reseller, in capitals); the reseller decides the price */
export type MailboxReseller =
  /** CheapInboxes: $3.00 a month per mailbox */
  | 'CheapInboxes'
  /** Mailr: $0.91 a month per mailbox; 495 emails a day shared by its mailboxes on a domain */
  | 'Mailr'
  /** ScaledMail: $50 a month per domain, shared by its mailboxes there; 5 emails a day each (8 when 25-48 on the domain) */
  | 'ScaledMail'
  /** No reseller tag: priced 0 and flagged needsPriceReview */
  | 'Unknown'
  /** Zapmail: $3.00 a month per mailbox */
  | 'Zapmail';

/** Whether a mailbox is connected to Email Bison */
export type MailboxStatus =
  /** Connected: it sends, and it is counted in capacity and cost */
  | 'CONNECTED'
  /** Anything but connected: it sends nothing */
  | 'DISCONNECTED';

/** Where a client's sending is heading, by projectedPercentage (the month-end projection as a percent of the monthly target) */
export type VolumePace =
  /** projectedPercentage < 80 */
  | 'BEHIND'
  /** projectedPercentage >= 80 */
  | 'NEAR_TARGET'
  /** projectedPercentage >= 100: the target is reached by month end */
  | 'ON_PACE';

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
  filter?: MailboxFilter | null | undefined;
}>;


export type InfrastructureDashboardQuery = { infrastructure: { freshness: { state: FreshnessState, ageSeconds: number | null }, totals: { mailboxes: number, connected: number, disconnected: number, emailsSent: number, dailyCapacity: number, monthlyCost: number, replyRate: number }, byProvider: Array<{ key: string, mailboxes: number, connected: number, replyRate: number, dailyCapacity: number, monthlyCost: number }>, byReseller: Array<{ key: string, mailboxes: number, connected: number, monthlyCost: number }>, mailboxes: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: number, workspaceId: number, email: string, domain: string, provider: string, reseller: string, status: string, price: number, dailyCapacity: number, replyRate: number } }> } | null } };

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