/**
 * The registry as the request path sees it: the active clients, the mailbox overrides and the
 * Email Bison key of each workspace, held in memory (read at start, `load()`) so a dashboard query
 * makes no database round trip. Registry writes through this gateway invalidate at once; other
 * replicas on the same Redis are told at once too (gateway.ts, the `answers` topic), and see a write
 * made any other way (another tool on the database, another replica's discovery) after at most `ttlMs`.
 */
import type { Clock } from '../clock';
import type { Registry } from '../sources/registry/registry';
import type { ClientRecord, MailboxOverride } from '../sources/registry/types';
import type { UpstreamAccess } from '../sources/email-bison/access';
import { visibleTo, type Principal } from '../access';

export interface ClientDirectory {
  /** Active clients this principal may see: all for ADMIN, its own workspace for CLIENT. */
  visible(principal: Principal): Promise<ClientRecord[]>;
  /** Which key and instance serve a workspace (null workspace = instance-wide, super-admin). */
  access(workspaceId: number | null): Promise<UpstreamAccess | null>;
  /** The mailbox overrides; the same array while unchanged (the infrastructure memo keys on it). */
  mailboxOverrides(): Promise<MailboxOverride[]>;
  /** Reads what a first dashboard needs (the clients, their stored keys, the overrides) ahead of it. */
  load(): Promise<void>;
  invalidate(): void;
  /** Called on every `invalidate` (a registry write, discovery, a key change): answers built from the old list are void. */
  onInvalidate(listener: () => void): () => void;
}

export function createClientDirectory(options: {
  registry: Registry;
  baseUrl: string;
  superAdminKey: string | null;
  clock: Clock;
  /** The workspace's own api-user key (stored, or minted on demand); null = the super-admin key. @default registry.apiKeyFor */
  keyFor?: (workspaceId: number) => Promise<string | null>;
  /** @default 5_000 */
  ttlMs?: number;
}): ClientDirectory {
  const { registry, baseUrl, superAdminKey, clock, ttlMs = 5_000 } = options;
  const keyFor = options.keyFor ?? ((workspaceId: number) => registry.apiKeyFor(workspaceId));
  /** One registry read held for `ttlMs`; the last good answer is served when a re-read fails. */
  function held<T>(read: () => Promise<T>) {
    let current: { at: number; value: Promise<T> } | null = null;
    // Served when a re-read fails: a database outage must not fail every dashboard after ttlMs.
    let lastGood: T | null = null;
    return {
      get(): Promise<T> {
        if (!current || clock.now() - current.at > ttlMs) {
          const fallback = lastGood;
          const value = read().then(
            (fresh) => (lastGood = fresh),
            (err) => {
              if (fallback !== null) return fallback;
              throw err;
            },
          );
          const entry = { at: clock.now(), value };
          current = entry;
          value.catch(() => {
            if (current === entry) current = null; // never cache a failed read
          });
        }
        return current.value;
      },
      drop: () => void (current = null),
    };
  }
  const activeClients = held(() => registry.list({ activeOnly: true }));
  const overrides = held(() => registry.mailboxOverrides());
  /** Each workspace's key, held like the lists (a key the database cannot give again is kept). */
  const keys = new Map<number, ReturnType<typeof held<UpstreamAccess | null>>>();
  const listeners = new Set<() => void>();

  /** The client's record: from the held list of active clients (read once for all), else its own read. */
  async function clientRecord(workspaceId: number): Promise<ClientRecord | null> {
    const active = (await activeClients.get().catch(() => [])).find((c) => c.workspaceId === workspaceId);
    return active ?? registry.get(workspaceId);
  }

  async function resolveAccess(workspaceId: number): Promise<UpstreamAccess | null> {
    const [client, key] = await Promise.all([clientRecord(workspaceId), keyFor(workspaceId)]);
    const url = client?.instanceUrl ?? baseUrl;
    if (key) return { baseUrl: url, key, kind: 'api-user' };
    return superAdminKey ? { baseUrl: url, key: superAdminKey, kind: 'super-admin' } : null;
  }

  async function access(workspaceId: number | null): Promise<UpstreamAccess | null> {
    if (workspaceId === null) return superAdminKey ? { baseUrl, key: superAdminKey, kind: 'super-admin' } : null;
    let entry = keys.get(workspaceId);
    if (!entry) keys.set(workspaceId, (entry = held(() => resolveAccess(workspaceId))));
    return entry.get();
  }

  return {
    async visible(principal) {
      const clients = await activeClients.get();
      return visibleTo(principal, clients);
    },
    access,
    async load() {
      const clients = await activeClients.get();
      // Stored keys only: a workspace without one gets its key minted when it is first needed, not here.
      await Promise.all([overrides.get(), ...clients.filter((c) => c.hasApiKey).map((c) => access(c.workspaceId))]);
    },
    mailboxOverrides: () => overrides.get(),
    invalidate() {
      activeClients.drop();
      overrides.drop();
      keys.clear();
      for (const listener of listeners) listener();
    },
    onInvalidate(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
