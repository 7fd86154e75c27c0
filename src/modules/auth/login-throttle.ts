/**
 * Counts failed sign-ins per user name and per client address in a sliding window. It lives in memory:
 * one server process holds the count, and a restart forgives, which is acceptable for a throttle.
 */
import type { Clock } from '../../adapters/clock.js';

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until `keys` may try again, or 0 when none of them is over the limit. */
  retryAfter(keys: string[]): number {
    const now = this.clock.now().getTime();
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxFailures)
        wait = Math.max(wait, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
    }
    return wait;
  }

  recordFailure(keys: string[]): void {
    const now = this.clock.now().getTime();
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }
}
