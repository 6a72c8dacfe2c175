// Group commit. With synchronous=FULL every COMMIT waits for fsync, so one write per transaction
// caps us at a few thousand writes/s. Writes queued in the same event-loop turn run together in one
// BEGIN IMMEDIATE ... COMMIT; each write gets its own SAVEPOINT so one failing write rolls back
// alone. Every caller's promise settles only after the shared COMMIT has returned, so an
// acknowledged write is durable.
import type { Database } from "bun:sqlite";
import type { Orm } from "./client.ts";

export interface WriteContext {
  sqlite: Database;
  orm: Orm;
}

/** A write runs synchronously inside the shared transaction and returns its result. */
export type WriteFn<T> = (tx: WriteContext) => T;

interface Pending {
  fn: WriteFn<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class QueueClosedError extends Error {
  override name = "QueueClosedError";
  constructor() {
    super("the database is shutting down; the write was not made");
  }
}

export class CommitQueue {
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  /** Counters for tests, logs and benchmarks. */
  readonly stats = { commits: 0, writes: 0, failedCommits: 0 };
  /** Called after each successful group commit with its duration (the commit latency metric). */
  onCommit?: (ms: number, writes: number) => void;
  /**
   * Run once per group, after its writes and before its COMMIT (e.g. search indexing of the
   * group's messages in one statement). A hook that throws is rolled back alone and reported to
   * onHookError; the writes still commit.
   */
  private readonly beforeCommitHooks: WriteFn<void>[] = [];
  onHookError?: (error: unknown) => void;

  constructor(
    private readonly ctx: WriteContext,
    private readonly maxBatch = 1000,
  ) {}

  write<T>(fn: WriteFn<T>): Promise<T> {
    if (this.closed) return Promise.reject(new QueueClosedError());
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  beforeCommit(hook: WriteFn<void>): void {
    this.beforeCommitHooks.push(hook);
  }

  /** Resolves when every write queued so far has been committed (or failed). */
  drain(): Promise<void> {
    if (this.pending.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuse new writes, then finish the queued ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate, not a microtask: writes arriving from other I/O callbacks in this loop turn
    // join the batch.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    const batch = this.pending.splice(0, this.maxBatch);
    const outcomes = this.runBatch(batch);
    this.scheduled = false;
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i]!;
      if (outcome.ok) batch[i]!.resolve(outcome.value);
      else batch[i]!.reject(outcome.error);
    }
    if (this.pending.length > 0) this.schedule();
    else for (const wake of this.idleWaiters.splice(0)) wake();
  }

  // The transaction statements run for every write: compiled once (db.run compiles each time).
  private readonly compiled = new Map<string, ReturnType<Database["prepare"]>>();
  private exec(sql: string): void {
    let stmt = this.compiled.get(sql);
    if (!stmt) this.compiled.set(sql, (stmt = this.ctx.sqlite.prepare(sql)));
    stmt.run();
  }

  private runBatch(batch: Pending[]): ({ ok: true; value: unknown } | { ok: false; error: unknown })[] {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const started = performance.now();
    try {
      this.exec("BEGIN IMMEDIATE");
    } catch (error) {
      this.stats.failedCommits++;
      return batch.map(() => ({ ok: false, error }));
    }
    for (const item of batch) {
      this.exec("SAVEPOINT w");
      try {
        const value = item.fn(this.ctx);
        if (value instanceof Promise) throw new TypeError("a queued write must be synchronous (it returned a promise)");
        this.exec("RELEASE w");
        outcomes.push({ ok: true, value });
      } catch (error) {
        this.exec("ROLLBACK TO w");
        this.exec("RELEASE w");
        outcomes.push({ ok: false, error });
      }
    }
    for (const hook of this.beforeCommitHooks) {
      this.exec("SAVEPOINT w");
      try {
        hook(this.ctx);
        this.exec("RELEASE w");
      } catch (error) {
        this.exec("ROLLBACK TO w");
        this.exec("RELEASE w");
        this.onHookError?.(error);
      }
    }
    try {
      this.exec("COMMIT");
    } catch (error) {
      try {
        this.exec("ROLLBACK");
      } catch {
        // the failed COMMIT may already have rolled back
      }
      this.stats.failedCommits++;
      return batch.map(() => ({ ok: false, error }));
    }
    this.stats.commits++;
    this.stats.writes += batch.length;
    this.onCommit?.(performance.now() - started, batch.length);
    return outcomes;
  }
}
