/**
 * The client registry: which workspaces are the agency's clients, with their targets, billing,
 * manual costs, mailbox overrides and encrypted api-user keys. Money and targets come back as
 * numbers; the api key comes back only through `apiKeyFor`, never in a ClientRecord.
 */
import type { Db } from '../db/types';
import type { ClientInput, ClientRecord, MailboxOverride, ManualCost } from './types';
import { clientInputSchema, countSchema, moneySchema, monthSchema, noteSchema, parseInput, workspaceIdSchema } from './client-input';
import { EncryptionKeyError, RegistryInputError } from './errors';
import type { SecretBox } from './secret-box';
import { z } from 'zod';

export interface Registry {
  list(options?: { activeOnly?: boolean }): Promise<ClientRecord[]>;
  get(workspaceId: number): Promise<ClientRecord | null>;
  /**
   * Creates or updates: fields left out keep their stored values. A new client without a `name`
   * gets its workspace's name as Email Bison last listed it (discovery).
   */
  upsert(input: ClientInput): Promise<ClientRecord>;
  /** Takes the client off the dashboards; returns null when no such client. */
  deactivate(workspaceId: number): Promise<ClientRecord | null>;
  /** The decrypted api-user key, for the upstream client only. */
  apiKeyFor(workspaceId: number): Promise<string | null>;
  setMonthlyCost(cost: { workspaceId: number; month: string; amount: number; note?: string | null }): Promise<ManualCost>;
  removeMonthlyCost(workspaceId: number, month: string): Promise<boolean>;
  monthlyCosts(month: string): Promise<ManualCost[]>;
  setMailboxOverride(override: { senderEmailId: number; workspaceId?: number | null; price?: number | null; dailyLimit?: number | null; note?: string | null }): Promise<MailboxOverride>;
  removeMailboxOverride(senderEmailId: number): Promise<boolean>;
  mailboxOverrides(): Promise<MailboxOverride[]>;
}

interface ClientRow {
  workspace_id: number; name: string; display_name: string | null; active: boolean; billing_type: 'PER_LEAD' | 'RETAINER';
  price_per_lead: number; retainer_amount: number; monthly_kpi_target: number; monthly_sending_target: number;
  daily_sending_target: number; instance_url: string | null; api_key_ciphertext: string | null; updated_at: Date;
  api_key_minted: boolean; removed_upstream_at: Date | null;
}

const CLIENT_COLUMNS = `workspace_id, name, display_name, active, billing_type, price_per_lead, retainer_amount,
  monthly_kpi_target, monthly_sending_target, daily_sending_target, instance_url, api_key_ciphertext, updated_at,
  api_key_minted, removed_upstream_at`;

const toRecord = (r: ClientRow): ClientRecord => ({
  workspaceId: r.workspace_id, name: r.name, displayName: r.display_name, active: r.active, billingType: r.billing_type,
  pricePerLead: r.price_per_lead, retainerAmount: r.retainer_amount, monthlyKpiTarget: r.monthly_kpi_target,
  monthlySendingTarget: r.monthly_sending_target, dailySendingTarget: r.daily_sending_target, instanceUrl: r.instance_url,
  hasApiKey: r.api_key_ciphertext !== null, updatedAt: new Date(r.updated_at).toISOString(),
});

const costSchema = z.object({ workspaceId: workspaceIdSchema, month: monthSchema, amount: moneySchema, note: noteSchema });
const overrideSchema = z.object({
  senderEmailId: workspaceIdSchema,
  workspaceId: workspaceIdSchema.nullable().optional(),
  price: moneySchema.nullable().optional(),
  dailyLimit: countSchema.nullable().optional(),
  note: noteSchema,
});

/** The workspace's name as discovery last saw it; a new client needs one. */
async function discoveredName(q: Pick<Db, 'query'>, workspaceId: number): Promise<string> {
  const { rows } = await q.query<{ name: string }>('SELECT name FROM upstream_workspaces WHERE workspace_id = $1', [workspaceId]);
  if (rows[0]) return rows[0].name;
  throw new RegistryInputError('name', `is required to register a new client: workspace ${workspaceId} is not among the workspaces discovered in Email Bison`);
}

export function createRegistry(db: Db, box: SecretBox | null): Registry {
  const selectClient = async (q: Pick<Db, 'query'>, workspaceId: number, lock = '') =>
    (await q.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM clients WHERE workspace_id = $1 ${lock}`, [workspaceId])).rows[0] ?? null;

  return {
    async list({ activeOnly = false } = {}) {
      const where = activeOnly ? 'WHERE active' : '';
      const { rows } = await db.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM clients ${where} ORDER BY workspace_id`);
      return rows.map(toRecord);
    },

    async get(workspaceId) {
      const row = await selectClient(db, workspaceId);
      return row && toRecord(row);
    },

    async upsert(raw) {
      const input = parseInput(clientInputSchema, raw);
      if (input.apiKey && !box) throw new RegistryInputError('apiKey', 'cannot be stored: ENCRYPTION_KEY is not configured');
      const ciphertext = input.apiKey ? box!.encrypt(input.apiKey) : input.apiKey;
      const row = await db.transaction(async (tx) => {
        const old = await selectClient(tx, input.workspaceId, 'FOR UPDATE');
        if (!old && input.name === undefined) input.name = await discoveredName(tx, input.workspaceId);
        const pick = <K extends keyof ClientInput, C extends keyof ClientRow>(key: K, column: C, fallback: ClientRow[C]) =>
          (input[key] !== undefined ? input[key] : old ? old[column] : fallback) as ClientRow[C];
        const values = [
          input.workspaceId,
          pick('name', 'name', ''),
          pick('displayName', 'display_name', null),
          pick('active', 'active', true),
          pick('billingType', 'billing_type', 'PER_LEAD'),
          pick('pricePerLead', 'price_per_lead', 0),
          pick('retainerAmount', 'retainer_amount', 0),
          pick('monthlyKpiTarget', 'monthly_kpi_target', 0),
          pick('monthlySendingTarget', 'monthly_sending_target', 0),
          pick('dailySendingTarget', 'daily_sending_target', 0),
          pick('instanceUrl', 'instance_url', null),
          ciphertext !== undefined ? ciphertext : (old?.api_key_ciphertext ?? null),
          // A key an admin sets (or clears) is the admin's; a minted one stays marked as minted.
          ciphertext !== undefined ? false : (old?.api_key_minted ?? false),
          // An admin deciding `active` overrides what discovery did.
          input.active !== undefined ? null : (old?.removed_upstream_at ?? null),
        ];
        const { rows } = await tx.query<ClientRow>(
          `INSERT INTO clients (workspace_id, name, display_name, active, billing_type, price_per_lead, retainer_amount,
             monthly_kpi_target, monthly_sending_target, daily_sending_target, instance_url, api_key_ciphertext,
             api_key_minted, removed_upstream_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           ON CONFLICT (workspace_id) DO UPDATE SET name = EXCLUDED.name, display_name = EXCLUDED.display_name,
             active = EXCLUDED.active, billing_type = EXCLUDED.billing_type, price_per_lead = EXCLUDED.price_per_lead,
             retainer_amount = EXCLUDED.retainer_amount, monthly_kpi_target = EXCLUDED.monthly_kpi_target,
             monthly_sending_target = EXCLUDED.monthly_sending_target, daily_sending_target = EXCLUDED.daily_sending_target,
             instance_url = EXCLUDED.instance_url, api_key_ciphertext = EXCLUDED.api_key_ciphertext,
             api_key_minted = EXCLUDED.api_key_minted, removed_upstream_at = EXCLUDED.removed_upstream_at, updated_at = now()
           RETURNING ${CLIENT_COLUMNS}`,
          values,
        );
        return rows[0];
      });
      return toRecord(row);
    },

    async deactivate(workspaceId) {
      const { rows } = await db.query<ClientRow>(`UPDATE clients SET active = false, removed_upstream_at = NULL, updated_at = now() WHERE workspace_id = $1 RETURNING ${CLIENT_COLUMNS}`, [workspaceId]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async apiKeyFor(workspaceId) {
      const { rows } = await db.query<{ c: string | null }>('SELECT api_key_ciphertext AS c FROM clients WHERE workspace_id = $1', [workspaceId]);
      const ciphertext = rows[0]?.c;
      if (!ciphertext) return null;
      if (!box) throw new EncryptionKeyError(`The Email Bison key of workspace ${workspaceId} is stored encrypted but ENCRYPTION_KEY is not configured`);
      return box.decrypt(ciphertext);
    },

    async setMonthlyCost(raw) {
      const cost = parseInput(costSchema, raw);
      if (!(await selectClient(db, cost.workspaceId))) throw new RegistryInputError('workspaceId', `no client is registered for workspace ${cost.workspaceId}`);
      await db.query(
        `INSERT INTO client_monthly_costs (workspace_id, month, amount, note) VALUES ($1, $2, $3, $4)
         ON CONFLICT (workspace_id, month) DO UPDATE SET amount = EXCLUDED.amount, note = EXCLUDED.note, updated_at = now()`,
        [cost.workspaceId, cost.month, cost.amount, cost.note ?? null],
      );
      return { workspaceId: cost.workspaceId, month: cost.month, amount: cost.amount, note: cost.note ?? null };
    },

    async removeMonthlyCost(workspaceId, month) {
      const { rows } = await db.query('DELETE FROM client_monthly_costs WHERE workspace_id = $1 AND month = $2 RETURNING 1', [workspaceId, month]);
      return rows.length > 0;
    },

    async monthlyCosts(month) {
      parseInput(monthSchema, month);
      const { rows } = await db.query<ManualCost>(
        'SELECT workspace_id AS "workspaceId", month, amount, note FROM client_monthly_costs WHERE month = $1 ORDER BY workspace_id',
        [month],
      );
      return rows;
    },

    async setMailboxOverride(raw) {
      const o = parseInput(overrideSchema, raw);
      const { rows } = await db.query<MailboxOverride>(
        `INSERT INTO mailbox_overrides (sender_email_id, workspace_id, price, daily_limit, note) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (sender_email_id) DO UPDATE SET workspace_id = EXCLUDED.workspace_id, price = EXCLUDED.price,
           daily_limit = EXCLUDED.daily_limit, note = EXCLUDED.note, updated_at = now()
         RETURNING ${OVERRIDE_COLUMNS}`,
        [o.senderEmailId, o.workspaceId ?? null, o.price ?? null, o.dailyLimit ?? null, o.note ?? null],
      );
      return rows[0];
    },

    async removeMailboxOverride(senderEmailId) {
      const { rows } = await db.query('DELETE FROM mailbox_overrides WHERE sender_email_id = $1 RETURNING 1', [senderEmailId]);
      return rows.length > 0;
    },

    async mailboxOverrides() {
      const { rows } = await db.query<MailboxOverride>(`SELECT ${OVERRIDE_COLUMNS} FROM mailbox_overrides ORDER BY sender_email_id`);
      return rows;
    },
  };
}

const OVERRIDE_COLUMNS = 'sender_email_id AS "senderEmailId", workspace_id AS "workspaceId", price, daily_limit AS "dailyLimit", note';
