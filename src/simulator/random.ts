/**
 * Seeded randomness. Everything the simulator invents comes from here, so one seed gives one world
 * and one sequence of faults: tests can rely on exact numbers.
 */

/** FNV-1a over the string, then a murmur-style finaliser so nearby strings spread apart. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A small, fast PRNG: returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator keyed by a path of parts: `rngFor(seed, 'mailboxes', 12)`. */
export function rngFor(...parts: Array<string | number>): () => number {
  return mulberry32(hashString(parts.join('|')));
}

/** One uniform value in [0, 1) keyed by a path of parts; stateless, so order never matters. */
export function unitFor(...parts: Array<string | number>): number {
  return hashString(parts.join('|')) / 4294967296;
}

export function intBetween(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** Picks by weight: `weighted(rand, [['a', 3], ['b', 1]])`. */
export function weighted<T>(rand: () => number, entries: ReadonlyArray<readonly [T, number]>): T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [value, w] of entries) {
    r -= w;
    if (r < 0) return value;
  }
  return entries[entries.length - 1][0];
}

