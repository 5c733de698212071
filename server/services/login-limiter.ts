/**
 * Counts failed logins per address and per account in a sliding window. Only failures count:
 * a busy desk logging in all day is never locked out.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs = 15 * 60 * 1000,
  ) {}

  private recent(key: string, nowMs: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => nowMs - t < this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Seconds until a blocked key may try again, or 0 when it may try now. */
  blockedFor(keys: readonly string[], nowMs: number): number {
    let wait = 0;
    for (const key of keys) {
      const list = this.recent(key, nowMs);
      if (list.length >= this.maxFailures) wait = Math.max(wait, Math.ceil((list[0]! + this.windowMs - nowMs) / 1000));
    }
    return wait;
  }

  fail(keys: readonly string[], nowMs: number): void {
    for (const key of keys) this.failures.set(key, [...this.recent(key, nowMs), nowMs]);
    if (this.failures.size > 50_000) this.failures.clear(); // bounded memory under a spray of addresses
  }
}
