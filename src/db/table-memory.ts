// Answers drawn from some tables, remembered in memory while those tables are unchanged
// (table-version.ts) and, when an answer carries its own end (a timeout, an expiry), until then.
// Remembered answers are shared between callers, so they are frozen.
import type { DatabaseHandle } from "./client.ts";
import { tableVersion, type TableVersion } from "./table-version.ts";

interface Entry<T> {
  until: number;
  value: T;
}

export class TableMemory<T> {
  private version: TableVersion | null = null;
  private seen: string | null = null;
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly db: DatabaseHandle,
    private readonly name: string,
    private readonly tables: readonly string[],
    private readonly max = 20_000,
  ) {}

  /** `compute` runs when nothing valid is remembered; `until` says until when its answer holds (ms since epoch). */
  get(key: string, compute: () => T, until: (value: T) => number = () => Number.POSITIVE_INFINITY): T {
    if (!this.current()) return compute();
    const hit = this.entries.get(key);
    if (hit && Date.now() < hit.until) return hit.value;
    const value = compute();
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, { until: until(value), value: deepFreeze(value) });
    return value;
  }

  /** False while nothing may be remembered (the writer is inside a transaction). */
  private current(): boolean {
    if (!this.version) {
      // The counting triggers are made outside any transaction (a rolled-back one would take them along).
      if (this.db.writer.inTransaction) return false;
      this.version = tableVersion(this.db.writer, this.name, this.tables);
    }
    const now = this.version();
    if (now === null) return false;
    if (now !== this.seen) {
      this.seen = now;
      this.entries.clear();
    }
    return true;
  }
}

/** Until an ISO time if it is still ahead, else for as long as the tables are unchanged. */
export function untilTime(iso: string | null | undefined): number {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(t) && t > Date.now() ? t : Number.POSITIVE_INFINITY;
}

function deepFreeze<T>(value: T): T {
  // Typed arrays (blob columns) cannot be frozen; they are left as they are.
  if (value && typeof value === "object" && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
