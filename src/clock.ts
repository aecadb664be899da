/** Time source. Production uses the wall clock; tests and the simulator use one they can set. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand: `clock.set('2026-03-01T09:00:00Z')`, `clock.advance(120_000)`. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: number | string | Date = Date.now()) {
    this.t = new Date(start).getTime();
  }
  now(): number {
    return this.t;
  }
  set(at: number | string | Date): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
