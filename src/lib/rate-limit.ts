// Fixed-window rate limiting in memory: one process serves the instance, so no shared store is
// needed. Keys are built by the caller ("login:ip:1.2.3.4"); windows are dropped once expired.

export interface Limit {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

export interface RateDecision {
  ok: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

export class RateLimiter {
  private windows = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Count one attempt against `key`; refuses once `limit.max` is passed within the window. */
  hit(key: string, limit: Limit): RateDecision {
    const now = this.now();
    this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + limit.windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { ok: w.count <= limit.max, retryAfter: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
  }

  /** Would one more attempt be allowed? Counts nothing (for limits on outcomes, counted with hit() after). */
  peek(key: string, limit: Limit): RateDecision {
    const now = this.now();
    const w = this.windows.get(key);
    if (!w || w.resetAt <= now) return { ok: true, retryAfter: 0 };
    return { ok: w.count < limit.max, retryAfter: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
  }

  /** Forget a key (after a successful login, its failure count starts again). */
  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
  }
}
