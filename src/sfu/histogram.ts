// Forwarding times for the SFU stats: constant memory whatever the packet rate.

/** A histogram of forwarding times in 10 µs buckets up to 50 ms (the last bucket holds the rest). */
export class Histogram {
  private readonly buckets = new Uint32Array(5001);
  private count = 0;
  private max = 0;

  record(ms: number): void {
    const i = Math.min(5000, Math.max(0, Math.floor(ms * 100)));
    this.buckets[i]!++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  /** p50, p99 and the maximum, ms; and start again. */
  take(): { p50: number; p99: number; max: number } {
    const at = (q: number) => {
      const want = Math.ceil(this.count * q);
      let seen = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        seen += this.buckets[i]!;
        if (seen >= want && want > 0) return (i + 1) / 100;
      }
      return 0;
    };
    const out = { p50: at(0.5), p99: at(0.99), max: Math.round(this.max * 100) / 100 };
    this.buckets.fill(0);
    this.count = 0;
    this.max = 0;
    return out;
  }
}
