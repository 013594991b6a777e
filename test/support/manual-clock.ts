import type { Clock } from '../../shared/ports/clock.js';

/** A clock the test moves by hand, so timeouts, delays, TTLs and deadlines pass without sleeping. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: string | Date = '2030-01-01T08:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
  set(at: string | Date): void {
    this.current = new Date(at).getTime();
  }
}
