/**
 * The dashboard queries the bench sends (every field a dashboard page shows) and the check every
 * response must pass: HTTP 200, no GraphQL `errors`, no per-workspace `errors`, and the expected
 * number of rows (from the simulator's world, not from the gateway).
 */
import type { World } from '../../src/simulator';

const FRESHNESS = 'freshness { state origin fetchedAt ageSeconds refreshing nextRefreshAt message }';
const WARNINGS = 'warnings { workspaceId field rule message }';
const ERRORS = 'errors { workspaceId code message retryable }';

export type Dashboard = 'kpi' | 'volume' | 'revenue' | 'infrastructure';
export const DASHBOARDS: Dashboard[] = ['kpi', 'volume', 'revenue', 'infrastructure'];

const GROUP = 'key workspaceId mailboxes connected disconnected emailsSent replies replyRate dailyCapacity monthlyCost';
// The table's columns. Every Mailbox field on a 50-row page costs 6,013 by graphql-armor's count, over the default
// MAX_QUERY_COST of 5,000; a dashboard asks for what it shows.
const MAILBOX = 'id workspaceId email domain status provider reseller price dailyCapacity emailsSent replyRate';

export const QUERIES: Record<Dashboard, string> = {
  kpi: `query Kpi { kpi {
    clients { workspaceId name leadsGenerated monthlyKpi projectedReplies currentProgress repliesProgress
      positiveRepliesLast7Days positiveRepliesLast14Days positiveRepliesLast30Days positiveRepliesLastMonth
      weekOverWeekChange emailsSent bounced status ${FRESHNESS} ${WARNINGS} }
    totals { clients leadsGenerated monthlyKpi projectedReplies currentProgress repliesProgress positiveRepliesLast7Days
      positiveRepliesLast14Days positiveRepliesLast30Days positiveRepliesLastMonth emailsSent bounced clientsAbove clientsOnTrack clientsBelow }
    ${FRESHNESS} ${WARNINGS} ${ERRORS} } }`,
  volume: `query Volume { volume {
    clients { workspaceId name rank emailsSent emailsToday emailsScheduledToday emailsScheduledTomorrow emailsLast7Days
      emailsLast14Days emailsLast30Days monthlyTarget dailyTarget expectedByNow isOnTrack projection targetPercentage
      projectedPercentage pace ${FRESHNESS} ${WARNINGS} }
    totals { clients emailsSent emailsToday emailsScheduledToday emailsScheduledTomorrow monthlyTarget dailyTarget expectedByNow
      projection targetPercentage projectedPercentage clientsOnPace clientsNearTarget clientsBehind clientsNotSending }
    ${FRESHNESS} ${WARNINGS} ${ERRORS} } }`,
  revenue: `query Revenue { revenue {
    month
    clients { workspaceId name rank billingType leads monthlyKpi revenue costs costSource profit profitMargin kpiProgress
      projectedRevenue possibleRevenue ${FRESHNESS} ${WARNINGS} }
    totals { clients leads revenue costs profit profitMargin projectedRevenue possibleRevenue revenueGap }
    ${FRESHNESS} ${WARNINGS} ${ERRORS} } }`,
  infrastructure: `query Infrastructure { infrastructure {
    totals { mailboxes connected disconnected emailsSent replies replyRate dailyCapacity monthlyCost }
    byProvider { ${GROUP} } byReseller { ${GROUP} } byWorkspace { ${GROUP} }
    silentMailboxes { id email workspaceId emailsSent }
    mailboxes(first: 50) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${MAILBOX} } } }
    ${FRESHNESS} ${WARNINGS} ${ERRORS} } }`,
};

export const body = (dashboard: Dashboard) => JSON.stringify({ query: QUERIES[dashboard] });

/** What a correct answer holds, from the simulator's truth. */
export interface Expected {
  clients: number;
  mailboxes: number;
}

export function expectedFrom(world: World): Expected {
  const clients = world.workspaces.filter((w) => !w.personal_team);
  // The owner's root team is no client: its mailboxes are not on the dashboard.
  return { clients: clients.length, mailboxes: clients.reduce((n, w) => n + world.mailboxes(w.id).length, 0) };
}

/** Null when the body is a correct answer for this dashboard, else why not. */
export function problemWith(dashboard: Dashboard, text: string, expected: Expected): string | null {
  let json: { data?: Record<string, any>; errors?: unknown[] };
  try {
    json = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 120)}`;
  }
  if (json.errors?.length) return `GraphQL errors: ${JSON.stringify(json.errors).slice(0, 200)}`;
  const d = json.data?.[dashboard];
  if (!d) return `no data.${dashboard}`;
  if (d.errors?.length) return `${d.errors.length} workspace errors, e.g. ${JSON.stringify(d.errors[0])}`;
  if (dashboard === 'infrastructure') {
    if (d.byWorkspace.length !== expected.clients) return `byWorkspace has ${d.byWorkspace.length} rows, want ${expected.clients}`;
    if (d.totals.mailboxes !== expected.mailboxes) return `totals.mailboxes ${d.totals.mailboxes}, want ${expected.mailboxes}`;
    if (d.mailboxes.edges.length !== 50) return `mailboxes page has ${d.mailboxes.edges.length} edges, want 50`;
    return null;
  }
  if (d.clients.length !== expected.clients) return `${d.clients.length} client rows, want ${expected.clients}`;
  return null;
}

/** Which dashboard a response answers (for the mixed run, where requests rotate). */
export function dashboardOf(text: string): Dashboard | null {
  const m = /^\{"data":\{"(kpi|volume|revenue|infrastructure)"/.exec(text);
  return (m?.[1] as Dashboard | undefined) ?? null;
}
