// 64-bit snowflake ids, laid out as Discord lays them out (ms since epoch << 22 | worker << 17 |
// process << 12 | sequence) and with Discord's epoch, so bot libraries that derive a creation
// time from an id (discord.js `createdTimestamp`, `SnowflakeUtil`) read our ids correctly.
// The values exceed 2^53: they travel as strings in JSON and as bigint to SQLite.

export const EPOCH_MS = 1_420_070_400_000n; // 2015-01-01T00:00:00Z, Discord's epoch

export class SnowflakeGenerator {
  private lastMs = -1n;
  private sequence = 0n;

  constructor(
    private readonly worker = 0n,
    private readonly now: () => number = Date.now,
  ) {
    if (worker < 0n || worker > 31n) throw new RangeError("worker must be 0-31");
  }

  /** A new id, strictly greater than every id this generator returned before. */
  next(): bigint {
    let ms = BigInt(this.now()) - EPOCH_MS;
    // A clock that steps backwards (NTP) must not produce a duplicate or out-of-order id.
    if (ms < this.lastMs) ms = this.lastMs;
    if (ms === this.lastMs) {
      this.sequence = (this.sequence + 1n) & 0xfffn;
      // 4096 ids in one millisecond: borrow the next millisecond rather than wrap.
      if (this.sequence === 0n) ms = this.lastMs + 1n;
    } else {
      this.sequence = 0n;
    }
    this.lastMs = ms;
    return (ms << 22n) | (this.worker << 17n) | this.sequence;
  }

  nextString(): string {
    return this.next().toString();
  }
}

/** The creation time encoded in an id. */
export function snowflakeTime(id: bigint | string): Date {
  return new Date(Number((BigInt(id) >> 22n) + EPOCH_MS));
}

/** The smallest id that could have been created at `date` (for before/after queries by time). */
export function snowflakeAt(date: Date): bigint {
  return (BigInt(date.getTime()) - EPOCH_MS) << 22n;
}

/** An id SQLite can hold (1-19 digits, at most 2^63 - 1): a longer or larger one names nothing, and binding it would throw. */
export const isSnowflake = (id: string): boolean => /^\d{1,19}$/.test(id) && BigInt(id) <= 0x7fffffffffffffffn;

/** A decimal snowflake string as a bigint, or null when it is not one (user input goes through here). */
export function parseSnowflake(value: unknown): bigint | null {
  if (typeof value !== "string" || !/^\d{1,20}$/.test(value)) return null;
  const id = BigInt(value);
  return id > 0n && id < 1n << 63n ? id : null;
}

export const ids = new SnowflakeGenerator();
