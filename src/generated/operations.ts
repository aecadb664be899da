/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** ISO-8601 timestamp in UTC */
  DateTime: { input: string; output: string; }
};

export type BillingType =
  | 'PER_LEAD'
  | 'RETAINER';

export type BreakerState =
  | 'CLOSED'
  | 'HALF_OPEN'
  | 'OPEN';

export type CacheEntryStats = {
  __typename?: 'CacheEntryStats';
  ageSeconds?: Maybe<Scalars['Int']['output']>;
  /** The circuit breaker of this entry's workspace and endpoint */
  breaker?: Maybe<CircuitBreaker>;
  fetchedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Reads answered from cache by this replica */
  hits: Scalars['Int']['output'];
  key: Scalars['String']['output'];
  lastError?: Maybe<SourceError>;
  /** Reads that waited for the upstream on this replica */
  misses: Scalars['Int']['output'];
  recordCount: Scalars['Int']['output'];
  resource: Scalars['String']['output'];
  sizeBytes: Scalars['Int']['output'];
  /** fresh | stale | error | updating */
  state: Scalars['String']['output'];
  workspaceId?: Maybe<Scalars['Int']['output']>;
};

/** One circuit breaker per (workspace, endpoint) */
export type CircuitBreaker = {
  __typename?: 'CircuitBreaker';
  endpoint: Scalars['String']['output'];
  /** Counted failures (5xx, 429, timeouts) inside the rolling window */
  failures: Scalars['Int']['output'];
  nextProbeAt?: Maybe<Scalars['DateTime']['output']>;
  openedAt?: Maybe<Scalars['DateTime']['output']>;
  state: BreakerState;
  workspaceId?: Maybe<Scalars['Int']['output']>;
};

/** A client of the agency: one Email Bison workspace with targets and billing. The api key is write-only. */
export type Client = {
  __typename?: 'Client';
  /** Shown on the dashboards */
  active: Scalars['Boolean']['output'];
  billingType: BillingType;
  /** Emails per day; 0 = none */
  dailySendingTarget: Scalars['Int']['output'];
  displayName?: Maybe<Scalars['String']['output']>;
  /** An Email Bison api-user key is stored (never returned) */
  hasApiKey: Scalars['Boolean']['output'];
  instanceUrl?: Maybe<Scalars['String']['output']>;
  /** Interested leads per month; 0 = none */
  monthlyKpiTarget: Scalars['Int']['output'];
  /** Emails per month; 0 = none */
  monthlySendingTarget: Scalars['Int']['output'];
  /** Workspace name in Email Bison */
  name: Scalars['String']['output'];
  /** $ per interested lead (PER_LEAD) */
  pricePerLead: Scalars['Float']['output'];
  /** $ per month (RETAINER) */
  retainerAmount: Scalars['Float']['output'];
  updatedAt: Scalars['DateTime']['output'];
  workspaceId: Scalars['Int']['output'];
};

export type ClientInput = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  /** Email Bison api-user key; stored encrypted; never returned */
  apiKey?: InputMaybe<Scalars['String']['input']>;
  billingType?: InputMaybe<BillingType>;
  dailySendingTarget?: InputMaybe<Scalars['Int']['input']>;
  displayName?: InputMaybe<Scalars['String']['input']>;
  /** Default: EMAIL_BISON_URL */
  instanceUrl?: InputMaybe<Scalars['String']['input']>;
  monthlyKpiTarget?: InputMaybe<Scalars['Int']['input']>;
  monthlySendingTarget?: InputMaybe<Scalars['Int']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  pricePerLead?: InputMaybe<Scalars['Float']['input']>;
  retainerAmount?: InputMaybe<Scalars['Float']['input']>;
  workspaceId: Scalars['Int']['input'];
};

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

/** How fresh a value is and where it came from */
export type Freshness = {
  __typename?: 'Freshness';
  ageSeconds?: Maybe<Scalars['Int']['output']>;
  /** Upstream fetch time of the oldest part of this value */
  fetchedAt?: Maybe<Scalars['DateTime']['output']>;
  message?: Maybe<Scalars['String']['output']>;
  nextRefreshAt?: Maybe<Scalars['DateTime']['output']>;
  origin: DataOrigin;
  /** A background refresh is in flight */
  refreshing: Scalars['Boolean']['output'];
  state: FreshnessState;
};

export type FreshnessEvent = {
  __typename?: 'FreshnessEvent';
  dashboard: DashboardKind;
  freshness: Freshness;
  /** The cache key that changed */
  resource: Scalars['String']['output'];
  workspaceId?: Maybe<Scalars['Int']['output']>;
};

/** FRESH < 2 min old, STALE 2-10 min, VERY_STALE > 10 min, WARNING: validation warnings present, ERROR: nothing usable */
export type FreshnessState =
  | 'ERROR'
  | 'FRESH'
  | 'STALE'
  | 'VERY_STALE'
  | 'WARNING';

/** The gateway's health: the same score as the SQL view dashboard_health_summary */
export type Health = {
  __typename?: 'Health';
  /** Breakers that are not closed (ADMIN only) */
  breakers: Array<CircuitBreaker>;
  cacheEntries: Scalars['Int']['output'];
  cacheError: Scalars['Int']['output'];
  cacheFresh: Scalars['Int']['output'];
  cacheStale: Scalars['Int']['output'];
  computedAt: Scalars['DateTime']['output'];
  /** What lowered the score, in words */
  issues: Array<Scalars['String']['output']>;
  monitoringBacklog: Scalars['Int']['output'];
  monitoringDroppedRows: Scalars['Int']['output'];
  openBreakers: Scalars['Int']['output'];
  /** 0-100; formula in src/monitoring/README.md */
  score: Scalars['Int']['output'];
  status: HealthStatus;
  upstreamAvgLatencyMs: Scalars['Float']['output'];
  upstreamCallsLastHour: Scalars['Int']['output'];
  /** ratio, 1.0 = 100 % */
  upstreamFailureRate: Scalars['Float']['output'];
  upstreamFailuresLastHour: Scalars['Int']['output'];
  upstreamP95LatencyMs: Scalars['Float']['output'];
  validationCritical: Scalars['Int']['output'];
  validationUnresolved: Scalars['Int']['output'];
};

export type HealthStatus =
  | 'DEGRADED'
  | 'HEALTHY'
  | 'UNHEALTHY';

export type InfrastructureDashboard = {
  __typename?: 'InfrastructureDashboard';
  byProvider: Array<InfrastructureGroup>;
  byReseller: Array<InfrastructureGroup>;
  byWorkspace: Array<InfrastructureGroup>;
  errors: Array<SourceError>;
  freshness: Freshness;
  mailboxes: InfrastructureDashboardMailboxesConnection;
  /** Connected, >= 50 sent, 0 % replies */
  silentMailboxes: Array<Mailbox>;
  totals: InfrastructureTotals;
  warnings: Array<ValidationWarning>;
};


export type InfrastructureDashboardMailboxesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<MailboxFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

export type InfrastructureDashboardMailboxesConnection = {
  __typename?: 'InfrastructureDashboardMailboxesConnection';
  edges: Array<InfrastructureDashboardMailboxesConnectionEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type InfrastructureDashboardMailboxesConnectionEdge = {
  __typename?: 'InfrastructureDashboardMailboxesConnectionEdge';
  cursor: Scalars['String']['output'];
  node: Mailbox;
};

export type InfrastructureGroup = {
  __typename?: 'InfrastructureGroup';
  connected: Scalars['Int']['output'];
  dailyCapacity: Scalars['Int']['output'];
  disconnected: Scalars['Int']['output'];
  emailsSent: Scalars['Int']['output'];
  key: Scalars['String']['output'];
  mailboxes: Scalars['Int']['output'];
  /** $ a month */
  monthlyCost: Scalars['Float']['output'];
  replies: Scalars['Int']['output'];
  /** Percent, weighted over mailboxes with >= 50 sent */
  replyRate: Scalars['Float']['output'];
  workspaceId?: Maybe<Scalars['Int']['output']>;
};

export type InfrastructureTotals = {
  __typename?: 'InfrastructureTotals';
  connected: Scalars['Int']['output'];
  dailyCapacity: Scalars['Int']['output'];
  disconnected: Scalars['Int']['output'];
  emailsSent: Scalars['Int']['output'];
  mailboxes: Scalars['Int']['output'];
  /** $ a month */
  monthlyCost: Scalars['Float']['output'];
  replies: Scalars['Int']['output'];
  /** Percent, weighted over mailboxes with >= 50 sent */
  replyRate: Scalars['Float']['output'];
};

export type KpiClient = {
  __typename?: 'KpiClient';
  /** Bounces this month so far */
  bounced: Scalars['Int']['output'];
  /** leadsGenerated / monthlyKpi (ratio, 0 when no target) */
  currentProgress: Scalars['Float']['output'];
  /** Emails sent this month so far */
  emailsSent: Scalars['Int']['output'];
  freshness: Freshness;
  /** Interested leads this month so far */
  leadsGenerated: Scalars['Int']['output'];
  /** Monthly target of interested leads (0 = none) */
  monthlyKpi: Scalars['Int']['output'];
  /** Display name, else the workspace name */
  name: Scalars['String']['output'];
  positiveRepliesLast7Days: Scalars['Int']['output'];
  positiveRepliesLast14Days: Scalars['Int']['output'];
  positiveRepliesLast30Days: Scalars['Int']['output'];
  /** Interested leads in the previous calendar month */
  positiveRepliesLastMonth: Scalars['Int']['output'];
  /** round(leads / daysElapsed * daysInMonth) */
  projectedReplies: Scalars['Int']['output'];
  /** projectedReplies / monthlyKpi (ratio, 0 when no target) */
  repliesProgress: Scalars['Float']['output'];
  status: KpiStatus;
  warnings: Array<ValidationWarning>;
  /** (last 7 - the 7 before) / the 7 before; null when the 7 before is 0 */
  weekOverWeekChange?: Maybe<Scalars['Float']['output']>;
  workspaceId: Scalars['Int']['output'];
};

export type KpiDashboard = {
  __typename?: 'KpiDashboard';
  clients: Array<KpiClient>;
  errors: Array<SourceError>;
  freshness: Freshness;
  totals: KpiTotals;
  warnings: Array<ValidationWarning>;
};

/** ABOVE: leads >= target; ON_TRACK: projection >= target; else BELOW */
export type KpiStatus =
  | 'ABOVE'
  | 'BELOW'
  | 'ON_TRACK';

export type KpiTotals = {
  __typename?: 'KpiTotals';
  bounced: Scalars['Int']['output'];
  /** Client rows */
  clients: Scalars['Int']['output'];
  clientsAbove: Scalars['Int']['output'];
  clientsBelow: Scalars['Int']['output'];
  clientsOnTrack: Scalars['Int']['output'];
  /** Leads / targets over clients with a target (ratio) */
  currentProgress: Scalars['Float']['output'];
  emailsSent: Scalars['Int']['output'];
  leadsGenerated: Scalars['Int']['output'];
  /** Sum of targets */
  monthlyKpi: Scalars['Int']['output'];
  positiveRepliesLast7Days: Scalars['Int']['output'];
  positiveRepliesLast14Days: Scalars['Int']['output'];
  positiveRepliesLast30Days: Scalars['Int']['output'];
  positiveRepliesLastMonth: Scalars['Int']['output'];
  projectedReplies: Scalars['Int']['output'];
  /** Projections / targets over clients with a target (ratio) */
  repliesProgress: Scalars['Float']['output'];
};

export type Mailbox = {
  __typename?: 'Mailbox';
  connected: Scalars['Boolean']['output'];
  /** Emails a day (override, else the provider/reseller rule) */
  dailyCapacity: Scalars['Int']['output'];
  domain: Scalars['String']['output'];
  email: Scalars['String']['output'];
  /** Lifetime emails sent */
  emailsSent: Scalars['Int']['output'];
  /** Email Bison sender-email id */
  id: Scalars['Int']['output'];
  /** Client (workspace) name */
  name: Scalars['String']['output'];
  /** Priced 0: unknown reseller and no override */
  needsPriceReview: Scalars['Boolean']['output'];
  /** A manual override set price or capacity */
  overridden: Scalars['Boolean']['output'];
  /** Monthly $ (override, else the reseller rule) */
  price: Scalars['Float']['output'];
  /** One of Google, Outlook, Yahoo, Custom, iCloud, AOL, Unknown */
  provider: Scalars['String']['output'];
  /** unique replies / sent * 100 (percent; 0 when nothing sent) */
  replyRate: Scalars['Float']['output'];
  /** One of Zapmail, CheapInboxes, Mailr, ScaledMail, Unknown */
  reseller: Scalars['String']['output'];
  /** As Email Bison reports it */
  status: Scalars['String']['output'];
  tags: Array<Scalars['String']['output']>;
  uniqueReplies: Scalars['Int']['output'];
  workspaceId: Scalars['Int']['output'];
};

export type MailboxFilter = {
  /** Reply rate at most this percent */
  maxReplyRate?: InputMaybe<Scalars['Float']['input']>;
  /** At least this many emails sent */
  minSent?: InputMaybe<Scalars['Int']['input']>;
  provider?: InputMaybe<Scalars['String']['input']>;
  reseller?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<MailboxStatus>;
  workspaceId?: InputMaybe<Scalars['Int']['input']>;
};

export type MailboxOverride = {
  __typename?: 'MailboxOverride';
  dailyLimit?: Maybe<Scalars['Int']['output']>;
  note?: Maybe<Scalars['String']['output']>;
  /** $ a month */
  price?: Maybe<Scalars['Float']['output']>;
  senderEmailId: Scalars['Int']['output'];
};

export type MailboxStatus =
  | 'CONNECTED'
  | 'DISCONNECTED';

export type ManualCost = {
  __typename?: 'ManualCost';
  /** $ for the month */
  amount: Scalars['Float']['output'];
  month: Scalars['String']['output'];
  note?: Maybe<Scalars['String']['output']>;
  workspaceId: Scalars['Int']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Remove cached entries (of one dashboard, or all); answers how many were removed */
  clearCache: Scalars['Int']['output'];
  /** Mint a bearer token. It is shown once and stored hashed. CLIENT tokens need a workspaceId. */
  createApiToken: Scalars['String']['output'];
  deactivateClient: Client;
  /** Force a refetch of a dashboard's data (one workspace or all visible); answers with the new freshness */
  refresh: Freshness;
  revokeApiToken: Scalars['Boolean']['output'];
  /** Manual monthly price and/or daily limit for one mailbox; wins over the rules */
  setMailboxOverride: MailboxOverride;
  /** Record a manual cost for a client and month; it replaces the mailbox cost in revenue */
  setMonthlyCost: ManualCost;
  upsertClient: Client;
};


export type MutationClearCacheArgs = {
  dashboard?: InputMaybe<DashboardKind>;
};


export type MutationCreateApiTokenArgs = {
  label?: InputMaybe<Scalars['String']['input']>;
  role: Role;
  workspaceId?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeactivateClientArgs = {
  workspaceId: Scalars['Int']['input'];
};


export type MutationRefreshArgs = {
  dashboard: DashboardKind;
  workspaceId?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationRevokeApiTokenArgs = {
  id: Scalars['Int']['input'];
};


export type MutationSetMailboxOverrideArgs = {
  dailyLimit?: InputMaybe<Scalars['Int']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  price?: InputMaybe<Scalars['Float']['input']>;
  senderEmailId: Scalars['Int']['input'];
};


export type MutationSetMonthlyCostArgs = {
  amount: Scalars['Float']['input'];
  month: Scalars['String']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
  workspaceId: Scalars['Int']['input'];
};


export type MutationUpsertClientArgs = {
  input: ClientInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  cacheStats: Array<CacheEntryStats>;
  clients: Array<Client>;
  health: Health;
  infrastructure: InfrastructureDashboard;
  kpi: KpiDashboard;
  revenue: RevenueDashboard;
  volume: VolumeDashboard;
  workspaces: Array<Workspace>;
};


export type QueryClientsArgs = {
  activeOnly?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryRevenueArgs = {
  month?: InputMaybe<Scalars['String']['input']>;
};

export type RevenueClient = {
  __typename?: 'RevenueClient';
  billingType: BillingType;
  costSource: CostSource;
  /** $: manual cost for the month, else connected mailboxes' monthly price */
  costs: Scalars['Float']['output'];
  freshness: Freshness;
  /** leads / monthly KPI (ratio; 0 when no target) */
  kpiProgress: Scalars['Float']['output'];
  /** Interested leads in the month */
  leads: Scalars['Int']['output'];
  monthlyKpi: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  /** $ at full KPI (KPI * price, or the retainer) */
  possibleRevenue: Scalars['Float']['output'];
  /** $: revenue - costs */
  profit: Scalars['Float']['output'];
  /** profit / revenue * 100 (percent); null when revenue is 0 */
  profitMargin?: Maybe<Scalars['Float']['output']>;
  /** $ at the current pace (this month), else the revenue */
  projectedRevenue: Scalars['Float']['output'];
  /** By revenue, 1 = highest */
  rank: Scalars['Int']['output'];
  /** $: retainer, or leads * price per lead */
  revenue: Scalars['Float']['output'];
  warnings: Array<ValidationWarning>;
  workspaceId: Scalars['Int']['output'];
};

export type RevenueDashboard = {
  __typename?: 'RevenueDashboard';
  /** In rank order */
  clients: Array<RevenueClient>;
  errors: Array<SourceError>;
  freshness: Freshness;
  month: Scalars['String']['output'];
  totals: RevenueTotals;
  warnings: Array<ValidationWarning>;
};

export type RevenueTotals = {
  __typename?: 'RevenueTotals';
  clients: Scalars['Int']['output'];
  costs: Scalars['Float']['output'];
  leads: Scalars['Int']['output'];
  /** $ at full KPI */
  possibleRevenue: Scalars['Float']['output'];
  profit: Scalars['Float']['output'];
  /** Percent; null when revenue is 0 */
  profitMargin?: Maybe<Scalars['Float']['output']>;
  /** $ this month at the current pace (past months: the revenue) */
  projectedRevenue: Scalars['Float']['output'];
  revenue: Scalars['Float']['output'];
  /** possibleRevenue - revenue */
  revenueGap: Scalars['Float']['output'];
};

export type Role =
  | 'ADMIN'
  | 'CLIENT';

/** A workspace whose data could not be served (it is left out of the rows) */
export type SourceError = {
  __typename?: 'SourceError';
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
  retryable: Scalars['Boolean']['output'];
  workspaceId?: Maybe<Scalars['Int']['output']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  freshnessChanged: FreshnessEvent;
  healthChanged: Health;
};


export type SubscriptionFreshnessChangedArgs = {
  dashboard?: InputMaybe<DashboardKind>;
};

/** A rule flagged this value; the data is still served */
export type ValidationWarning = {
  __typename?: 'ValidationWarning';
  field?: Maybe<Scalars['String']['output']>;
  message: Scalars['String']['output'];
  rule: Scalars['String']['output'];
  workspaceId?: Maybe<Scalars['Int']['output']>;
};

export type VolumeClient = {
  __typename?: 'VolumeClient';
  /** Emails per day */
  dailyTarget: Scalars['Int']['output'];
  emailsLast7Days: Scalars['Int']['output'];
  emailsLast14Days: Scalars['Int']['output'];
  emailsLast30Days: Scalars['Int']['output'];
  /** Sum of emails_being_sent of today's sending schedules */
  emailsScheduledToday: Scalars['Int']['output'];
  /** Sum of emails_being_sent of tomorrow's sending schedules */
  emailsScheduledTomorrow: Scalars['Int']['output'];
  /** Emails sent this month so far */
  emailsSent: Scalars['Int']['output'];
  /** Emails sent today */
  emailsToday: Scalars['Int']['output'];
  /** monthlyTarget / daysInMonth * daysElapsed */
  expectedByNow: Scalars['Float']['output'];
  freshness: Freshness;
  /** emailsSent >= expectedByNow */
  isOnTrack: Scalars['Boolean']['output'];
  /** Emails per month */
  monthlyTarget: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  pace: VolumePace;
  /** projection as a percent of monthlyTarget */
  projectedPercentage: Scalars['Float']['output'];
  /** round(emailsSent / daysElapsed * daysInMonth) */
  projection: Scalars['Int']['output'];
  /** 1 = first: senders before non-senders, ON_PACE best first, then the neediest */
  rank: Scalars['Int']['output'];
  /** emailsSent as a percent of monthlyTarget */
  targetPercentage: Scalars['Float']['output'];
  warnings: Array<ValidationWarning>;
  workspaceId: Scalars['Int']['output'];
};

export type VolumeDashboard = {
  __typename?: 'VolumeDashboard';
  /** In rank order */
  clients: Array<VolumeClient>;
  errors: Array<SourceError>;
  freshness: Freshness;
  totals: VolumeTotals;
  warnings: Array<ValidationWarning>;
};

/** ON_PACE: projected >= 100 % of the monthly target; NEAR_TARGET: >= 80 %; else BEHIND */
export type VolumePace =
  | 'BEHIND'
  | 'NEAR_TARGET'
  | 'ON_PACE';

export type VolumeTotals = {
  __typename?: 'VolumeTotals';
  clients: Scalars['Int']['output'];
  clientsBehind: Scalars['Int']['output'];
  clientsNearTarget: Scalars['Int']['output'];
  clientsNotSending: Scalars['Int']['output'];
  clientsOnPace: Scalars['Int']['output'];
  dailyTarget: Scalars['Int']['output'];
  emailsScheduledToday: Scalars['Int']['output'];
  emailsScheduledTomorrow: Scalars['Int']['output'];
  emailsSent: Scalars['Int']['output'];
  emailsToday: Scalars['Int']['output'];
  expectedByNow: Scalars['Float']['output'];
  monthlyTarget: Scalars['Int']['output'];
  projectedPercentage: Scalars['Float']['output'];
  projection: Scalars['Int']['output'];
  targetPercentage: Scalars['Float']['output'];
};

export type Workspace = {
  __typename?: 'Workspace';
  /** A client shown on the dashboards */
  active: Scalars['Boolean']['output'];
  freshness: Freshness;
  /** Registered as a client of the agency */
  isClient: Scalars['Boolean']['output'];
  /** Display name of the client, else the workspace name */
  name: Scalars['String']['output'];
  workspaceId: Scalars['Int']['output'];
};

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

/** FRESH < 2 min old, STALE 2-10 min, VERY_STALE > 10 min, WARNING: validation warnings present, ERROR: nothing usable */
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