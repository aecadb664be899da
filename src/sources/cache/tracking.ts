/**
 * Which meta records Redis still vouches for, so a warm read of the Redis store costs no command.
 *
 * The store's connection has client tracking on (./redis-connection.ts): once it has read a key,
 * Redis pushes an invalidation on that same socket when anyone changes it (write, delete, expiry,
 * flush). A meta record read from Redis is kept here as *vouched for* until then, and a read
 * answers from it without asking Redis. Three things end the vouching:
 *
 * - an invalidation of the key (or of every key);
 * - the link changing: the socket dropped, a call timed out, or it reconnected (pushes may have
 *   been lost: everything vouched for on the old link is dropped at once);
 * - silence: a meta is trusted only while the connection answered within `trustMs`. Past that, a
 *   read first waits for one PING shared by all readers; its reply, on the same socket, proves
 *   every invalidation sent before it arrived. A frozen or cut-off Redis is thus noticed within
 *   `trustMs` plus one command timeout, and reads fall back to the flagged local copy.
 *
 * A reply and an invalidation of the same key can race inside one socket read (the reply resolves
 * a promise, the push is handled before that promise's continuation runs): every GET takes a
 * ticket first, and its reply is vouched for only if no invalidation of that key, no flush and no
 * link change happened since the ticket.
 */
import type { RedisConnection } from './redis-connection';
import type { StoredMeta } from './store';

export interface Ticket {
  seq: number;
  link: number;
}

export interface Vouched {
  meta: StoredMeta;
  /** The connection answered within `trustMs`: usable now; else confirm (PING) first. */
  recent: boolean;
}

export interface Tracking {
  /** Take before sending a GET of the key's meta. */
  ticket(): Ticket;
  /** The GET answered `meta`: vouch for it unless something changed since the ticket. */
  vouch(key: string, ticket: Ticket, meta: StoredMeta): void;
  /** The vouched meta of a key on the current link, if any. */
  lookup(key: string): Vouched | undefined;
  /** This process is changing the key: stop vouching (and refuse replies already in flight). */
  changing(key: string): void;
  /** One PING shared by concurrent callers; never rejects (a failure drops the link). */
  confirm(): Promise<void>;
}

type TrackedConnection = Pick<RedisConnection, 'onInvalidate' | 'link' | 'lastReplyAt' | 'ping'>;

/** Invalidation marks kept for racing replies; past this many, the oldest count as a flush. */
const MAX_MARKS = 10_000;

export function createTracking(connection: TrackedConnection, metaPrefix: string, trustMs: number): Tracking {
  let seq = 0;
  let flushedAt = 0;
  const changedAt = new Map<string, number>();
  const vouched = new Map<string, { meta: StoredMeta; link: number }>();
  let confirming: Promise<void> | null = null;

  function changed(key: string | null): void {
    seq += 1;
    if (key === null || changedAt.size >= MAX_MARKS) {
      flushedAt = seq;
      changedAt.clear();
      if (key === null) {
        vouched.clear();
        return;
      }
    }
    changedAt.set(key, seq);
    vouched.delete(key);
  }

  connection.onInvalidate((redisKey) => {
    if (redisKey === null) changed(null);
    else if (redisKey.startsWith(metaPrefix)) changed(redisKey.slice(metaPrefix.length));
  });

  /** The connection's link now; a new link forgets at once everything vouched on the old one (Redis sends no invalidations for it). */
  let vouchedLink = connection.link();
  function currentLink(): number {
    const link = connection.link();
    if (link !== vouchedLink) {
      vouched.clear();
      vouchedLink = link;
    }
    return link;
  }

  return {
    ticket: () => ({ seq, link: currentLink() }),
    vouch(key, ticket, meta) {
      if (ticket.link !== currentLink() || flushedAt > ticket.seq || (changedAt.get(key) ?? 0) > ticket.seq) return;
      vouched.set(key, { meta, link: ticket.link });
    },
    lookup(key) {
      currentLink();
      const held = vouched.get(key);
      if (!held) return undefined;
      const last = connection.lastReplyAt();
      return { meta: held.meta, recent: last > 0 && performance.now() - last < trustMs };
    },
    changing: (key) => changed(key),
    confirm() {
      confirming ??= connection.ping().catch(() => {}).finally(() => {
        confirming = null;
      });
      return confirming;
    },
  };
}
