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
 * A warm request then only filters and paginates. Invalid rows are reported to monitoring once per
 * computed version (not on every read of it); their `INVALID_ROW` errors are served every time.
 * One memo per gateway (`createMailboxMemo`), so gateways in one process never share state.
 */
import {
  buildInfrastructure, checkRows, classifyMailboxes, dedupeMailboxes, infrastructureGroupSchema, infrastructureWarnings,
  mailboxCostByWorkspace, mailboxSchema, type InfrastructureGroup, type InfrastructureResult, type Mailbox, type ValidationWarning, type WorkspaceRef,
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
}

interface AggregateMemo { parts: readonly ClassifiedWorkspace[]; aggregate: MailboxAggregate }
/** Aggregates kept: keyed by the visible workspace ids, ADMIN sees all, each CLIENT its own. */
const MAX_AGGREGATES = 64;

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

  function classified(workspace: WorkspaceRef, senderEmails: readonly SenderEmail[], overrides: VersionedOverrides): ClassifiedWorkspace {
    const memo = byList.get(senderEmails);
    if (memo && memo.overridesVersion === overrides.version
      && memo.workspace.workspaceId === workspace.workspaceId && memo.workspace.name === workspace.name) return memo;
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
    };
    if (!memo && aggregates.size >= MAX_AGGREGATES) aggregates.delete(aggregates.keys().next().value as string);
    aggregates.set(key, { parts, aggregate: computed });
    return computed;
  }

  return { classified, aggregate };
}
