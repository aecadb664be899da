/**
 * Classifying and grouping 11,000 mailboxes costs tens of milliseconds; a warm infrastructure
 * query must not pay it again. The cache hands back the same `SenderEmail[]` object for as long as
 * an entry is unchanged (decoded values in memory; the Redis store's L1 per version), so the work
 * is memoized by that identity:
 *
 * - per workspace, a WeakMap from its sender-emails array to its classified, row-checked mailboxes
 *   (valid while the client's name and the overrides version are the same; gone with the array);
 * - per set of visible workspaces, the aggregate (dedupe, groups, warnings, costs) over the
 *   per-workspace results, reused while every one of them is the same object.
 *
 * - per aggregate, the mailboxes each filter keeps (in page order), so a warm page of any filter
 *   only binary-searches its cursor and slices.
 *
 * A warm request then only slices its page. `computed()` counts the work done (tests assert that
 * warm queries of one data version cause none). Invalid rows are reported to monitoring once per
 * computed version (not on every read of it); their `INVALID_ROW` errors are served every time.
 * One memo per gateway (`createMailboxMemo`), so gateways in one process never share state.
 */
import {
  buildInfrastructure, checkRows, classifyMailboxes, dedupeMailboxes, filterKey, filterMailboxes, infrastructureGroupSchema, infrastructureWarnings,
  mailboxCostByWorkspace, mailboxSchema, sortedMailboxes, type InfrastructureGroup, type InfrastructureResult, type Mailbox, type MailboxFilter,
  type ValidationWarning, type WorkspaceRef,
} from './arithmetic';
import type { SenderEmail } from '../sources/email-bison/schemas';
import type { MailboxOverride } from '../sources/registry/types';
import type { SourceErrorInfo } from '../sources/errors';
import type { SourceObserver } from '../monitoring/events';
import { invalidRowErrors } from './row-checks';

const SOURCE = 'infrastructure';

export interface ClassifiedWorkspace {
  workspace: WorkspaceRef;
  overridesVersion: string;
  /** Rows that hold every invariant. */
  mailboxes: Mailbox[];
  /** One per mailbox left out for breaking an invariant. */
  errors: SourceErrorInfo[];
}

export interface MailboxAggregate extends InfrastructureResult {
  warnings: ValidationWarning[];
  /** INVALID_ROW errors of mailboxes and groups left out. */
  errors: SourceErrorInfo[];
  /** $ a month of connected mailboxes per workspace (revenue's mailbox cost). */
  costByWorkspace: Map<number, number>;
  /** The mailboxes a filter keeps, in page order; memoized per filter with this aggregate. */
  filtered(filter: MailboxFilter): readonly Mailbox[];
}

/** How much work the memo did: each count is one computation (a miss). */
export interface MemoCounts {
  classified: number;
  aggregates: number;
  filters: number;
}

/** Changes whenever any override's price or daily limit changes: part of the memo key. */
export function overridesVersion(overrides: readonly MailboxOverride[]): string {
  return overrides.map((o) => `${o.senderEmailId}:${o.price ?? ''}:${o.dailyLimit ?? ''}`).join(',');
}

export interface VersionedOverrides {
  version: string;
  byId(): ReadonlyMap<number, MailboxOverride>;
}

export interface MailboxMemo {
  /** One workspace's mailboxes classified with the overrides, memoized by the list's identity. */
  classified(workspace: WorkspaceRef, senderEmails: readonly SenderEmail[], overrides: VersionedOverrides): ClassifiedWorkspace;
  /** Dedupe, groups, warnings and costs over classified workspaces, memoized while they are the same. */
  aggregate(parts: readonly ClassifiedWorkspace[]): MailboxAggregate;
  computed(): MemoCounts;
}

interface AggregateMemo { parts: readonly ClassifiedWorkspace[]; aggregate: MailboxAggregate }
/** Aggregates kept: keyed by the visible workspace ids, ADMIN sees all, each CLIENT its own. */
const MAX_AGGREGATES = 64;
/** Filtered lists kept per aggregate (a dashboard offers a handful of filters). */
const MAX_FILTERS = 32;

const sameParts = (a: readonly ClassifiedWorkspace[], b: readonly ClassifiedWorkspace[]) =>
  a.length === b.length && a.every((part, i) => part === b[i]);

function checkedGroups(observer: SourceObserver, groups: InfrastructureGroup[], errors: SourceErrorInfo[]): InfrastructureGroup[] {
  const { valid, invalid } = checkRows(groups, infrastructureGroupSchema);
  errors.push(...invalidRowErrors(observer, SOURCE, invalid, (g) => `group ${g.key}`));
  return valid;
}

export function createMailboxMemo(observer: SourceObserver): MailboxMemo {
  const byList = new WeakMap<readonly SenderEmail[], ClassifiedWorkspace>();
  const aggregates = new Map<string, AggregateMemo>();
  const counts: MemoCounts = { classified: 0, aggregates: 0, filters: 0 };

  /** The filter memo of one aggregate's mailboxes (already in page order: buildInfrastructure sorts). */
  function filterMemo(all: readonly Mailbox[]): (filter: MailboxFilter) => readonly Mailbox[] {
    const sorted = sortedMailboxes(all);
    const byFilter = new Map<string, readonly Mailbox[]>();
    return (filter) => {
      const key = filterKey(filter);
      let kept = byFilter.get(key);
      if (!kept) {
        counts.filters += 1;
        kept = sortedMailboxes(filterMailboxes(sorted, filter));
        if (byFilter.size >= MAX_FILTERS) byFilter.delete(byFilter.keys().next().value as string);
        byFilter.set(key, kept);
      }
      return kept;
    };
  }

  function classified(workspace: WorkspaceRef, senderEmails: readonly SenderEmail[], overrides: VersionedOverrides): ClassifiedWorkspace {
    const memo = byList.get(senderEmails);
    if (memo && memo.overridesVersion === overrides.version
      && memo.workspace.workspaceId === workspace.workspaceId && memo.workspace.name === workspace.name) return memo;
    counts.classified += 1;
    const { valid, invalid } = checkRows(classifyMailboxes(workspace, senderEmails, overrides.byId()), mailboxSchema);
    const errors = invalidRowErrors(observer, SOURCE, invalid, (m) => `mailbox ${m.id} (${m.email || 'no address'})`);
    const fresh = { workspace, overridesVersion: overrides.version, mailboxes: valid, errors };
    byList.set(senderEmails, fresh);
    return fresh;
  }

  function aggregate(parts: readonly ClassifiedWorkspace[]): MailboxAggregate {
    const key = parts.map((p) => p.workspace.workspaceId).join(',');
    const memo = aggregates.get(key);
    if (memo && sameParts(memo.parts, parts)) return memo.aggregate;
    counts.aggregates += 1;
    const { mailboxes, duplicates } = dedupeMailboxes(parts.flatMap((p) => p.mailboxes));
    const built = buildInfrastructure(mailboxes);
    const errors = parts.flatMap((p) => p.errors);
    const computed: MailboxAggregate = {
      ...built,
      byProvider: checkedGroups(observer, built.byProvider, errors),
      byReseller: checkedGroups(observer, built.byReseller, errors),
      byWorkspace: checkedGroups(observer, built.byWorkspace, errors),
      warnings: infrastructureWarnings(built.mailboxes, duplicates),
      errors,
      costByWorkspace: mailboxCostByWorkspace(built.mailboxes),
      filtered: filterMemo(built.mailboxes),
    };
    if (!memo && aggregates.size >= MAX_AGGREGATES) aggregates.delete(aggregates.keys().next().value as string);
    aggregates.set(key, { parts, aggregate: computed });
    return computed;
  }

  return { classified, aggregate, computed: () => ({ ...counts }) };
}
