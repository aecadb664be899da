/**
 * Which Email Bison key serves a workspace. The registry decides (an api-user key stored for the
 * workspace, else the super-admin key); the client only receives the answer and never keeps it.
 */
import { createHash } from 'node:crypto';

export type KeyKind = 'api-user' | 'super-admin';

export interface UpstreamAccess {
  /** Instance base URL without a trailing slash, e.g. `https://send.example-agency.com`. */
  baseUrl: string;
  /** Sanctum token `<id>|<secret>`: a secret, never logged nor put in an error. */
  key: string;
  kind: KeyKind;
}

/** `null` workspace = instance-wide calls (workspace list, minting): the super-admin key. */
export type AccessResolver = (workspaceId: number | null) => Promise<UpstreamAccess | null>;

/**
 * A name for a key that is safe to log and to use as a scheduler lane: the token's public numeric
 * id plus a short hash of instance and key (different instances may reuse ids).
 */
export function keyIdOf(access: UpstreamAccess): string {
  const tokenId = /^(\d+)\|/.exec(access.key)?.[1] ?? 'key';
  const digest = createHash('sha256').update(`${access.baseUrl}\n${access.key}`).digest('hex').slice(0, 10);
  return `${tokenId}:${digest}`;
}
