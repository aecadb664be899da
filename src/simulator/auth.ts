/**
 * Sanctum-style keys, as Email Bison has them. An api-user key is pinned to its workspace. A
 * super-admin key acts on a server-side "current workspace" that switch-workspace changes and that
 * every request with that key shares: the state behind the real data-mixing incident.
 */
import { hashString } from './random';

export type KeyKind = 'super-admin' | 'api-user';

export interface ApiKey {
  id: number;
  kind: KeyKind;
  /** The pinned workspace of an api-user key; null for super-admin. */
  workspaceId: number | null;
  name: string;
  /** Made by `POST /api/workspaces/v1.1/{id}/api-tokens` (not seeded). */
  minted: boolean;
}

/** A label safe for counters and logs (never the secret). */
export function keyLabel(key: ApiKey): string {
  return `${key.kind}#${key.id}`;
}

export class KeyStore {
  private byToken = new Map<string, ApiKey>();
  private current = new Map<number, number>();
  private nextId = 1;
  readonly superAdminKey: string;
  readonly apiKeys = new Map<number, string>();
  /** False: the instance refuses to mint api-user keys (403), as some plans or roles do. */
  mintingAllowed = true;

  constructor(private readonly seed: string, workspaceIds: readonly number[], private readonly rootWorkspaceId: number) {
    this.superAdminKey = this.add('super-admin', null, 'Super admin');
    for (const id of workspaceIds) this.apiKeys.set(id, this.add('api-user', id, `Gateway ${id}`));
  }

  /** The key named by an `Authorization: Bearer id|secret` header, or null. */
  authenticate(header: string | undefined): ApiKey | null {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    return m ? this.byToken.get(m[1]) ?? null : null;
  }

  /** Mints an api-user key for a workspace; it works at once. */
  mint(workspaceId: number, name: string): { key: ApiKey; token: string } {
    const token = this.add('api-user', workspaceId, name, true);
    return { key: this.byToken.get(token)!, token };
  }

  /** Every live key, secrets left out (what an admin sees in the token list). */
  list(): ApiKey[] {
    return [...this.byToken.values()].map((k) => ({ ...k }));
  }

  /** A new workspace gets a seeded api-user key, like the ones made at start. */
  addWorkspace(workspaceId: number): string {
    const token = this.add('api-user', workspaceId, `Gateway ${workspaceId}`);
    this.apiKeys.set(workspaceId, token);
    return token;
  }

  /**
   * Revokes the api-user keys of a workspace (an admin deleting tokens, or the workspace itself):
   * they answer 401 from now on. `token` narrows it to one key. Returns how many were revoked.
   */
  revoke(workspaceId: number, token?: string): number {
    let revoked = 0;
    for (const [t, key] of this.byToken) {
      if (key.kind !== 'api-user' || key.workspaceId !== workspaceId || (token !== undefined && t !== token)) continue;
      this.byToken.delete(t);
      if (this.apiKeys.get(workspaceId) === t) this.apiKeys.delete(workspaceId);
      revoked++;
    }
    return revoked;
  }

  /** A deleted workspace takes its keys with it; super-admin keys on it fall back to the root team. */
  removeWorkspace(workspaceId: number): void {
    this.revoke(workspaceId);
    for (const [keyId, current] of this.current) if (current === workspaceId) this.current.delete(keyId);
  }

  /** The workspace a request with this key acts on, read when the request arrives. */
  workspaceOf(key: ApiKey): number {
    return key.workspaceId ?? this.current.get(key.id) ?? this.rootWorkspaceId;
  }

  switchWorkspace(key: ApiKey, workspaceId: number): void {
    this.current.set(key.id, workspaceId);
  }

  /** Every super-admin key back on the root team. Minted keys stay valid. */
  resetCurrentWorkspaces(): void {
    this.current.clear();
  }

  private add(kind: KeyKind, workspaceId: number | null, name: string, minted = false): string {
    const id = this.nextId++;
    const secret = [0, 1, 2, 3, 4].map((i) => hashString(`${this.seed}|key|${id}|${i}`).toString(36).padStart(7, '0')).join('');
    const token = `${id}|${secret}`;
    this.byToken.set(token, { id, kind, workspaceId, name, minted });
    return token;
  }
}
