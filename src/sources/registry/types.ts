/** A client of the agency: one Email Bison workspace plus the agency's own targets and billing. */
export type BillingType = 'PER_LEAD' | 'RETAINER';

export interface ClientRecord {
  workspaceId: number;
  /** Workspace name as Email Bison knows it. */
  name: string;
  /** What the dashboards show; falls back to `name`. */
  displayName: string | null;
  active: boolean;
  billingType: BillingType;
  /** $ per interested lead (PER_LEAD). */
  pricePerLead: number;
  /** $ per month (RETAINER). */
  retainerAmount: number;
  /** Interested leads per month; 0 = no target. */
  monthlyKpiTarget: number;
  /** Emails per month; 0 = no target. */
  monthlySendingTarget: number;
  /** Emails per day; 0 = no target. */
  dailySendingTarget: number;
  /** Email Bison base URL for this workspace; null = the gateway's `EMAIL_BISON_URL`. */
  instanceUrl: string | null;
  /** Whether an api-user key is stored (the key itself never leaves the registry module). */
  hasApiKey: boolean;
  updatedAt: string;
}

export interface ClientInput {
  workspaceId: number;
  name?: string;
  displayName?: string | null;
  active?: boolean;
  billingType?: BillingType;
  pricePerLead?: number;
  retainerAmount?: number;
  monthlyKpiTarget?: number;
  monthlySendingTarget?: number;
  dailySendingTarget?: number;
  /** Plain api-user key; stored encrypted; write-only. */
  apiKey?: string | null;
  instanceUrl?: string | null;
}

/** Manual monthly cost for a client (overrides computed mailbox cost in revenue). */
export interface ManualCost { workspaceId: number; month: string; amount: number; note: string | null }

/** Manual per-mailbox override (wins over computed price / capacity). */
export interface MailboxOverride {
  senderEmailId: number;
  price: number | null;
  dailyLimit: number | null;
  note: string | null;
  /** The workspace the mailbox belonged to when the override was set (informational). */
  workspaceId?: number | null;
}
