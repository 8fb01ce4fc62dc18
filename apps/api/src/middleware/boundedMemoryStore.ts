import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';

/** Keys a limiter keeps in memory at most; past that, the oldest windows are dropped first. */
export const MAX_LIMITER_KEYS = 50_000;

/**
 * An in-memory rate-limit store with a bound on its size: however many distinct keys a flood
 * invents, it holds at most `maxKeys` counters (a few hundred bytes each). Dropping the oldest
 * counter forgets a client's earliest hits in the window, never a recent burst.
 */
export class BoundedMemoryStore implements Store {
  private windowMs = 60_000;
  private readonly hits = new Map<string, ClientRateLimitInfo>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = MAX_LIMITER_KEYS,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  get(key: string): ClientRateLimitInfo | undefined {
    const entry = this.hits.get(key);
    return entry && entry.resetTime && entry.resetTime.getTime() > this.now() ? entry : undefined;
  }

  increment(key: string): IncrementResponse {
    const now = this.now();
    const live = this.get(key);
    const entry = live ?? { totalHits: 0, resetTime: new Date(now + this.windowMs) };
    entry.totalHits++;
    // Re-inserted last, so the Map's order stays oldest-window-first.
    this.hits.delete(key);
    this.hits.set(key, entry);
    this.evict(now);
    return { totalHits: entry.totalHits, resetTime: entry.resetTime };
  }

  decrement(key: string): void {
    const entry = this.get(key);
    if (entry && entry.totalHits > 0) entry.totalHits--;
  }

  resetKey(key: string): void {
    this.hits.delete(key);
  }

  resetAll(): void {
    this.hits.clear();
  }

  /** How many counters it holds (for tests and metrics). */
  get size(): number {
    return this.hits.size;
  }

  private evict(now: number) {
    for (const [key, entry] of this.hits) {
      const expired = !entry.resetTime || entry.resetTime.getTime() <= now;
      if (!expired && this.hits.size <= this.maxKeys) break;
      this.hits.delete(key);
    }
  }
}
