export const CLOCK = Symbol('CLOCK');

/** Injected so tests and benchmarks can control time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
