/**
 * Throttles guessing without handing an attacker a lockout. Counts live in memory: one server process
 * holds them and a restart forgives, which is acceptable for a throttle.
 *
 * An attempt is reserved before the secret is checked and settled after it, so requests sent in
 * parallel are counted while they are still being checked: no burst gets past the limit.
 */
import type { Clock } from '../../adapters/clock.js';
import { AppError } from '../../errors.js';

/** Attempt times per key in a sliding window. */
export class AttemptLog {
  private readonly times = new Map<string, number[]>();

  constructor(private readonly windowMs: number) {}

  /** The key's attempts within the window, oldest first. */
  recent(key: string, now: number): number[] {
    const list = (this.times.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length) this.times.set(key, list);
    else this.times.delete(key);
    return list;
  }

  add(keys: readonly string[], at: number): void {
    // Many distinct keys (random user names, many addresses) must not grow memory without bound.
    if (this.times.size > 50_000) for (const key of [...this.times.keys()]) this.recent(key, at);
    for (const key of keys) this.times.set(key, [...(this.times.get(key) ?? []), at]);
  }

  /** Take back one attempt made at `at` (a reservation that turned out not to be a failure). */
  remove(keys: readonly string[], at: number): void {
    for (const key of keys) {
      const list = this.times.get(key);
      const i = list?.indexOf(at) ?? -1;
      if (list && i >= 0) list.splice(i, 1);
    }
  }

  clear(key: string): void {
    this.times.delete(key);
  }

  /** Milliseconds until `key` is under `max` attempts again, or 0. */
  waitMs(key: string, max: number, now: number): number {
    const list = this.recent(key, now);
    return list.length >= max ? list[list.length - max]! + this.windowMs - now : 0;
  }
}

export const tooManyAttempts = (waitMs: number, detail: string, reason?: string) => {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError('rate_limited', `${detail} Try again in ${Math.ceil(seconds / 60)} minute(s).`, {
    headers: { 'retry-after': String(seconds) },
    ...(reason ? { reason } : {}),
  });
};

export interface LoginLimits {
  /** Free tries per (user name, address) in the window; after them each try waits a doubling delay. */
  maxFailures: number;
  windowMs: number;
  /** Failures for one user name, over all addresses, past which every address is slowed for it. */
  userCeiling: number;
  /** Failures from one address, over all user names, past which the address is slowed. */
  addressCeiling: number;
  /** The first delay, and the spacing a slowed user name or address gets between tries. */
  slowMs: number;
}

export interface Reservation {
  keys: readonly [pair: string, user: string, address: string];
  at: number;
}

/**
 * Staff sign-in (ASVS V2.2.1): per (user name, address) growing delays, so a wrong guesser is slowed
 * where it guesses; a per-user ceiling that spaces tries from every address, so a spread attack is
 * slowed while the right password from a new address still gets in at its first try; and a
 * per-address ceiling against one address spraying many user names. Nothing locks anybody out.
 */
export class LoginThrottle {
  private readonly log: AttemptLog;

  constructor(
    private readonly clock: Clock,
    private readonly limits: LoginLimits,
  ) {
    this.log = new AttemptLog(limits.windowMs);
  }

  /** Count an attempt before checking it; throws 429 when the attempt must wait. */
  reserve(user: string, address: string): Reservation {
    const now = this.clock.now().getTime();
    const keys = [`pair:${user}\u0000${address}`, `user:${user}`, `address:${address}`] as const;
    const wait = this.waitMs(keys, now);
    if (wait > 0) throw tooManyAttempts(wait, 'Too many failed sign-ins.');
    this.log.add(keys, now);
    return { keys, at: now };
  }

  /** A failure stays counted; a success forgives the pair's failures and takes its own attempt back. */
  settle(r: Reservation, ok: boolean): void {
    if (!ok) return;
    this.log.clear(r.keys[0]);
    this.log.remove(r.keys.slice(1), r.at);
  }

  private waitMs([pairKey, userKey, addressKey]: Reservation['keys'], now: number): number {
    const { maxFailures, windowMs, userCeiling, addressCeiling, slowMs } = this.limits;
    const pair = this.log.recent(pairKey, now);
    const lastPair = pair.at(-1) ?? 0;
    let wait = 0;
    if (pair.length >= maxFailures)
      wait = lastPair + Math.min(windowMs, slowMs * 2 ** (pair.length - maxFailures)) - now;
    if (pair.length > 0 && this.log.recent(userKey, now).length >= userCeiling)
      wait = Math.max(wait, lastPair + slowMs - now);
    const address = this.log.recent(addressKey, now);
    if (address.length >= addressCeiling) wait = Math.max(wait, address.at(-1)! + slowMs - now);
    return wait;
  }
}
