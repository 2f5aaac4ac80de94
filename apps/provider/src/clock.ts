// Time is injected so tests can move it instead of sleeping.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Seconds since the epoch, as JWT claims want them. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
