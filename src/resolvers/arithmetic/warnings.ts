/**
 * Validation warnings: numbers that are served but look wrong (DESIGN.md, "Validation warnings").
 * Each has a stable `rule` code clients and monitoring can match on; the message is for people.
 */
import type { Stats } from '../../sources/email-bison/schemas';
import type { Calendar } from './calendar';
import type { KpiDashboardResult, KpiInput } from './kpi';
import type { Mailbox } from './mailboxes';
import type { RevenueDashboardResult } from './revenue';
import type { VolumeDashboardResult, VolumeInput } from './volume';

export type WarningRule =
  | 'NO_KPI_TARGET'
  | 'LEADS_ABOVE_1000'
  | 'NO_EMAILS_WITH_TARGET'
  | 'TARGET_PERCENTAGE_ABOVE_200'
  | 'NEGATIVE_MARGIN'
  | 'LOW_MARGIN'
  | 'MTD_ABOVE_LAST_30'
  | 'LAST_7_ABOVE_LAST_30'
  | 'MAILBOX_PRICE_UNKNOWN'
  | 'DUPLICATE_MAILBOX';

/** Same shape as `ValidationWarning` in the GraphQL contract. */
export interface ValidationWarning {
  workspaceId: number | null;
  /** Row field (or stats field) the rule looked at. */
  field: string | null;
  rule: WarningRule;
  message: string;
}

export const LEADS_PLAUSIBLE_MAX = 1000;
export const TARGET_PERCENTAGE_PLAUSIBLE_MAX = 200;
/** Margin (percent) under which a client is flagged as barely profitable. */
export const LOW_MARGIN_PERCENT = 20;
/** Stats counts that must agree across overlapping windows. */
const WINDOW_FIELDS = ['emails_sent', 'interested', 'bounced'] as const;

const warning = (workspaceId: number | null, field: string | null, rule: WarningRule, message: string): ValidationWarning =>
  ({ workspaceId, field, rule, message });

/**
 * Overlapping windows must agree: MTD ⊆ last 30 while the month is ≤ 30 days old, and
 * last 7 ⊆ last 30 always. A larger count in the smaller window means the upstream is inconsistent.
 */
export function statsWindowWarnings(
  workspaceId: number,
  stats: { mtd: Stats; last7: Stats; last30: Stats },
  cal: Calendar,
): ValidationWarning[] {
  const out: ValidationWarning[] = [];
  for (const field of WINDOW_FIELDS) {
    const last30 = stats.last30[field];
    if (cal.daysElapsed <= 30 && stats.mtd[field] > last30) {
      out.push(warning(workspaceId, field, 'MTD_ABOVE_LAST_30', `${field} month-to-date (${stats.mtd[field]}) exceeds the last 30 days (${last30})`));
    }
    if (stats.last7[field] > last30) {
      out.push(warning(workspaceId, field, 'LAST_7_ABOVE_LAST_30', `${field} in the last 7 days (${stats.last7[field]}) exceeds the last 30 days (${last30})`));
    }
  }
  return out;
}

export function kpiWarnings(result: KpiDashboardResult, inputs: readonly KpiInput[], cal: Calendar): ValidationWarning[] {
  const out: ValidationWarning[] = [];
  for (const row of result.clients) {
    if (row.monthlyKpi <= 0) {
      out.push(warning(row.workspaceId, 'monthlyKpi', 'NO_KPI_TARGET', `${row.name} has no monthly KPI target: progress shows 0 and status ABOVE`));
    }
    if (row.leadsGenerated > LEADS_PLAUSIBLE_MAX) {
      out.push(warning(row.workspaceId, 'leadsGenerated', 'LEADS_ABOVE_1000', `${row.name} has ${row.leadsGenerated} leads this month (more than ${LEADS_PLAUSIBLE_MAX}): check the interested counts`));
    }
  }
  for (const input of inputs) out.push(...statsWindowWarnings(input.client.workspaceId, input.stats, cal));
  return out;
}

export function volumeWarnings(result: VolumeDashboardResult, inputs: readonly VolumeInput[], cal: Calendar): ValidationWarning[] {
  const out: ValidationWarning[] = [];
  for (const row of result.clients) {
    if (row.emailsSent === 0 && row.monthlyTarget > 0) {
      out.push(warning(row.workspaceId, 'emailsSent', 'NO_EMAILS_WITH_TARGET', `${row.name} sent no email this month despite a target of ${row.monthlyTarget}`));
    }
    if (row.targetPercentage > TARGET_PERCENTAGE_PLAUSIBLE_MAX) {
      out.push(warning(row.workspaceId, 'targetPercentage', 'TARGET_PERCENTAGE_ABOVE_200', `${row.name} is at ${row.targetPercentage.toFixed(1)} % of its sending target: check the target`));
    }
  }
  for (const input of inputs) out.push(...statsWindowWarnings(input.client.workspaceId, input.stats, cal));
  return out;
}

/** A loss is flagged as NEGATIVE_MARGIN, also when there is no revenue to divide by. */
export function revenueWarnings(result: RevenueDashboardResult): ValidationWarning[] {
  const out: ValidationWarning[] = [];
  for (const row of result.clients) {
    const margin = row.profitMargin;
    if (row.profit < 0) {
      const detail = margin === null ? `costs $${row.costs.toFixed(2)} with no revenue` : `margin ${margin.toFixed(1)} %`;
      out.push(warning(row.workspaceId, 'profitMargin', 'NEGATIVE_MARGIN', `${row.name} loses money in ${result.month}: ${detail}`));
    } else if (margin !== null && margin < LOW_MARGIN_PERCENT) {
      out.push(warning(row.workspaceId, 'profitMargin', 'LOW_MARGIN', `${row.name} has a ${margin.toFixed(1)} % margin in ${result.month} (below ${LOW_MARGIN_PERCENT} %)`));
    }
  }
  return out;
}

/** One warning per workspace for mailboxes priced 0 for lack of a known reseller, and for duplicates. */
export function infrastructureWarnings(mailboxes: readonly Mailbox[], duplicates: readonly Mailbox[] = []): ValidationWarning[] {
  const unpriced = new Map<number, number>();
  for (const m of mailboxes) if (m.needsPriceReview) unpriced.set(m.workspaceId, (unpriced.get(m.workspaceId) ?? 0) + 1);
  const out = [...unpriced].map(([workspaceId, n]) =>
    warning(workspaceId, 'price', 'MAILBOX_PRICE_UNKNOWN', `${n} mailbox(es) have no known reseller and are priced $0: tag them or set a price override`));
  const duplicated = new Map<number, number>();
  for (const m of duplicates) duplicated.set(m.workspaceId, (duplicated.get(m.workspaceId) ?? 0) + 1);
  for (const [workspaceId, n] of duplicated) {
    out.push(warning(workspaceId, 'id', 'DUPLICATE_MAILBOX', `${n} mailbox id(s) also listed under another workspace: counted once, under the lowest workspace id`));
  }
  return out;
}
