/**
 * A small seeded PRNG (mulberry32) for fuzz tests: the same seed yields the same requests, so a failure is
 * reproduced by running again with that seed.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string {
    const chars = [...alphabet];
    let out = '';
    for (let i = 0; i < length; i++) out += this.pick(chars);
    return out;
  }
}

/** The seed from `FUZZ_SEED` (decimal or 0x hex), else `fallback`; `FUZZ_SEED=random` picks a fresh one. */
export function seedFromEnvironment(fallback: number): number {
  const raw = process.env.FUZZ_SEED?.trim();
  if (!raw) return fallback >>> 0;
  if (raw === 'random') return Math.floor(Math.random() * 2 ** 32) >>> 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** 32)
    throw new Error(`FUZZ_SEED=${raw} is not an integer from 0 to 2^32-1 (or "random")`);
  return value >>> 0;
}
