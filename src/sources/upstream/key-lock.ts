/**
 * One-at-a-time sequences per key. A super-admin key acts on a "current workspace" held
 * server-side, so switch-workspace and the calls that read that workspace must never interleave
 * with another workspace's sequence on the same key (that race once showed several clients the
 * same numbers). Waiters queue in arrival order; a failing sequence releases the lock too.
 */
export interface KeyLock {
  /** Runs `sequence` once every earlier sequence of `keyId` has settled. */
  exclusive<T>(keyId: string, sequence: () => Promise<T>): Promise<T>;
}

export function createKeyLock(): KeyLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    exclusive(keyId, sequence) {
      const previous = tails.get(keyId) ?? Promise.resolve();
      const result = previous.then(sequence, sequence);
      const tail = result.then(noop, noop);
      tails.set(keyId, tail);
      // Forget the key once nobody is queued behind this sequence, so the map stays small.
      void tail.then(() => {
        if (tails.get(keyId) === tail) tails.delete(keyId);
      });
      return result;
    },
  };
}

function noop(): void {}
