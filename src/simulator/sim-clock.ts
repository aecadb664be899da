/**
 * The simulator's clock, movable through the control API. A ManualClock passed in is moved in place
 * (so a test and the simulator agree on "now"); any other clock is wrapped with an offset.
 */
import { ManualClock, type Clock } from '../clock';

export interface MovableClock extends Clock {
  set(at: number | string | Date): void;
  advance(ms: number): void;
}

export function movableClock(base: Clock): MovableClock {
  if (base instanceof ManualClock) return base;
  let offset = 0;
  return {
    now: () => base.now() + offset,
    set(at) {
      const t = new Date(at).getTime();
      if (Number.isNaN(t)) throw new Error(`simulator clock: cannot set to ${JSON.stringify(at)}`);
      offset = t - base.now();
    },
    advance(ms) {
      offset += ms;
    },
  };
}
