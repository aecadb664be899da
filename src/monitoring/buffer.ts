/**
 * The recorder's bounded in-memory buffer. Attempts are kept in arrival order; cache states are
 * coalesced per key (the latest wins) and validation findings per fingerprint (counted). When the
 * buffer is full the OLDEST attempts are dropped first, and every dropped row is counted.
 */
import type { CacheStateChange, UpstreamAttempt, ValidationIssue } from './events';
import { issueKey, type PendingCacheState, type PendingIssue } from './writes';

/** Everything taken out for one flush; what fails to be written goes back with `restore`. */
export interface Batch {
  attempts: UpstreamAttempt[];
  cacheStates: PendingCacheState[];
  issues: PendingIssue[];
}

export class MonitoringBuffer {
  // A queue with a moving head: dropping the oldest is O(1), not an Array#shift per row.
  private attempts: UpstreamAttempt[] = [];
  private head = 0;
  private cacheStates = new Map<string, PendingCacheState>();
  private issues = new Map<string, PendingIssue>();
  /** Rows taken by a flush in flight: they still count against the bound, they may come back. */
  private inFlight = 0;
  dropped = 0;

  constructor(
    private readonly maxRows: number,
    private readonly onDrop: (rows: number) => void = () => {},
  ) {}

  /** Rows not yet written (buffered plus in flight). */
  get pending(): number {
    return this.attempts.length - this.head + this.cacheStates.size + this.issues.size + this.inFlight;
  }

  addAttempt(a: UpstreamAttempt): void {
    this.attempts.push(a);
    this.enforceBound();
  }

  addCacheState(change: CacheStateChange, at: number): void {
    if (!this.cacheStates.has(change.key) && !this.makeRoom()) return;
    this.cacheStates.set(change.key, { change, at });
  }

  addIssue(issue: ValidationIssue, at: number): void {
    const key = issueKey(issue);
    const seen = this.issues.get(key);
    if (seen) {
      seen.issue = issue;
      seen.count++;
      seen.lastSeen = at;
      return;
    }
    if (!this.makeRoom()) return;
    this.issues.set(key, { issue, count: 1, firstSeen: at, lastSeen: at });
  }

  take(): Batch {
    const batch: Batch = {
      attempts: this.attempts.slice(this.head),
      cacheStates: [...this.cacheStates.values()],
      issues: [...this.issues.values()],
    };
    this.attempts = [];
    this.head = 0;
    this.cacheStates.clear();
    this.issues.clear();
    this.inFlight = batch.attempts.length + batch.cacheStates.length + batch.issues.length;
    return batch;
  }

  /** Called once per `take`, with the rows that were NOT written (empty lists on success). */
  restore(unwritten: Batch): void {
    this.inFlight = 0;
    // Restored attempts are older than anything buffered since: they go in front.
    this.attempts = unwritten.attempts.concat(this.attempts.slice(this.head));
    this.head = 0;
    for (const s of unwritten.cacheStates) {
      if (!this.cacheStates.has(s.change.key)) this.cacheStates.set(s.change.key, s);
    }
    for (const p of unwritten.issues) {
      const key = issueKey(p.issue);
      const newer = this.issues.get(key);
      if (newer) {
        newer.count += p.count;
        newer.firstSeen = Math.min(newer.firstSeen, p.firstSeen);
      } else {
        this.issues.set(key, p);
      }
    }
    this.enforceBound();
  }

  private enforceBound(): void {
    let dropped = 0;
    while (this.pending > this.maxRows && this.head < this.attempts.length) {
      this.head++;
      dropped++;
    }
    if (this.head > 1024 && this.head * 2 > this.attempts.length) {
      this.attempts = this.attempts.slice(this.head);
      this.head = 0;
    }
    if (dropped > 0) this.countDropped(dropped);
  }

  /** Room for one more coalesced row: drop the oldest attempt, or refuse (and count) the new row. */
  private makeRoom(): boolean {
    if (this.pending < this.maxRows) return true;
    if (this.head < this.attempts.length) {
      this.head++;
      this.countDropped(1);
      return true;
    }
    this.countDropped(1);
    return false;
  }

  /** Counts rows that were refused or that the database could never accept. */
  dropUnwritable(rows: number): void {
    this.countDropped(rows);
  }

  private countDropped(rows: number): void {
    this.dropped += rows;
    this.onDrop(rows);
  }
}
