/**
 * Workspace sessions of a super-admin key. Such a key acts on a "current workspace" held
 * server-side and shared by every request made with it, so a call for one workspace must never be
 * in flight while the key is switched to another (that race once showed several clients the same
 * numbers). Calls wait here per key, grouped by workspace:
 *
 * - a group runs when the key is free: one switch (skipped when the key is known to be on that
 *   workspace already), then every waiting call of that workspace at once;
 * - calls for the group's workspace that arrive while it switches join it;
 * - the next group starts when every call of this one has settled, oldest waiting workspace first.
 *
 * With a `cluster` lock (replicas sharing one key), a group runs only while holding the key
 * cluster-wide, and the key's current workspace is the one the last holder anywhere left it on.
 * Time spent waiting here is not upstream time: callers start their timeouts after `run` hands over.
 */
import { systemClock, type Clock } from '../../clock';

export interface KeyHold {
  /** The workspace the key was left on by the last holder anywhere; null when unknown. */
  current: number | null;
  /** When the last holder let go (clock ms). */
  currentAt: number;
  release(current: number | null, at: number): Promise<void>;
}

/** Mutual exclusion of one key across replicas. */
export interface ClusterKeyLock {
  hold(keyId: string): Promise<KeyHold>;
}

export interface KeyLock {
  /**
   * Runs `work` while `keyId` acts on `workspaceId`; `switchTo` moves the key there when needed.
   * A failed switch fails every call of the group (they would read another workspace).
   */
  run<T>(keyId: string, workspaceId: number, work: () => Promise<T>, switchTo: () => Promise<void>): Promise<T>;
}

export interface KeyLockOptions {
  cluster?: ClusterKeyLock | null;
  /**
   * Someone may switch the key by hand (the web app shares the user's current workspace): a
   * known current workspace is trusted for this long after the last group on it. @default 30_000
   */
  trustMs?: number;
  clock?: Clock;
}

interface Job {
  work: () => Promise<unknown>;
  switchTo: () => Promise<void>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

interface Group {
  workspaceId: number;
  /** Jobs that join while the group gets ready (cluster hold, switch); null once it runs. */
  joining: Job[] | null;
  running: number;
  hold: KeyHold | null;
  /** Its last call settled: it is letting go of the key, nothing may join any more. */
  closed: boolean;
}

interface KeyState {
  keyId: string;
  current: number | null;
  /** When a group on `current` last finished (clock ms). */
  currentAt: number;
  group: Group | null;
  /** Waiting jobs by workspace, in order of each workspace's first arrival. */
  waiting: Map<number, Job[]>;
}

export function createKeyLock(options: KeyLockOptions = {}): KeyLock {
  const { cluster = null, trustMs = 30_000, clock = systemClock } = options;
  const keys = new Map<string, KeyState>(); // one entry per super-admin key: stays small

  function stateOf(keyId: string): KeyState {
    let s = keys.get(keyId);
    if (!s) keys.set(keyId, (s = { keyId, current: null, currentAt: 0, group: null, waiting: new Map() }));
    return s;
  }

  function startJob(s: KeyState, group: Group, job: Job): void {
    group.running++;
    Promise.resolve()
      .then(job.work)
      .then(job.resolve, job.reject)
      .finally(function jobSettled() {
        if (--group.running === 0 && group.joining === null) finishGroup(s, group);
      });
  }

  function finishGroup(s: KeyState, group: Group): void {
    group.closed = true;
    s.currentAt = clock.now();
    const released = group.hold ? group.hold.release(s.current, s.currentAt).catch(() => {}) : Promise.resolve();
    void released.then(() => {
      s.group = null;
      nextGroup(s);
    });
  }

  /** Oldest waiting workspace first: hold the key, switch if needed, run all its calls. */
  function nextGroup(s: KeyState): void {
    if (s.group || s.waiting.size === 0) return;
    const [workspaceId, jobs] = s.waiting.entries().next().value as [number, Job[]];
    s.waiting.delete(workspaceId);
    const group: Group = { workspaceId, joining: jobs, running: 0, hold: null, closed: false };
    s.group = group;
    void (async function holdSwitchRun() {
      try {
        if (cluster) {
          group.hold = await cluster.hold(s.keyId);
          s.current = group.hold.current;
          s.currentAt = group.hold.currentAt;
        }
        const known = s.current === workspaceId && clock.now() - s.currentAt <= trustMs;
        if (!known) {
          s.current = null; // unknown until the switch is confirmed
          await jobs[0].switchTo();
          s.current = workspaceId;
        }
      } catch (err) {
        s.current = null;
        const failed = group.joining!;
        group.joining = null;
        for (const job of failed) job.reject(err);
        finishGroup(s, group);
        return;
      }
      const ready = group.joining!;
      group.joining = null;
      for (const job of ready) startJob(s, group, job);
      if (group.running === 0) finishGroup(s, group);
    })();
  }

  return {
    run<T>(keyId: string, workspaceId: number, work: () => Promise<T>, switchTo: () => Promise<void>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const s = stateOf(keyId);
        const job: Job = { work, switchTo, resolve: resolve as (value: unknown) => void, reject };
        const group = s.group;
        if (group?.workspaceId === workspaceId && !group.closed) {
          // The group under way is on this workspace: join while it gets ready, or while it runs
          // and no other workspace waits its turn.
          if (group.joining) return void group.joining.push(job);
          if (s.waiting.size === 0) return startJob(s, group, job);
        }
        const waiting = s.waiting.get(workspaceId);
        if (waiting) waiting.push(job);
        else s.waiting.set(workspaceId, [job]);
        nextGroup(s);
      });
    },
  };
}
