// Background jobs: long operations (backup, export, import, archive check) run one at a time, off
// the request, with progress kept in the jobs table and pushed live to the admin's tab.
// Cancelling aborts the job's signal; each job undoes its own partial work before it rethrows
// (a temp file removed, an imported server deleted), so a cancelled job leaves nothing behind.
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { jobs, type Job } from "./table.ts";

export interface JobContext {
  core: Core;
  jobId: string;
  params: Record<string, unknown>;
  createdBy: string | null;
  signal: AbortSignal;
  /** fraction 0..1 and what is happening now ("messages 1200/5000"). */
  progress(fraction: number, detail?: string): void;
}
export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown>>;

export class JobCancelled extends Error {
  override name = "JobCancelled";
  constructor() {
    super("cancelled");
  }
}
/** Throw at a safe point when the job was cancelled. */
export function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new JobCancelled();
}

const handlers = new Map<string, JobHandler>();
export function registerJobKind(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
}

export type JobEvent = { id: string; kind: string; status: Job["status"]; progress: number; detail: string; error: string | null; result: Record<string, unknown> | null };
const toEvent = (j: Job): JobEvent => ({ id: j.id, kind: j.kind, status: j.status, progress: j.progress, detail: j.detail, error: j.error, result: j.result ? (JSON.parse(j.result) as Record<string, unknown>) : null });

/** Progress is written to the table at most this often; listeners hear every change. */
const WRITE_EVERY_MS = 500;

class Runner {
  private running: { id: string; abort: AbortController } | null = null;
  private stopped = false;
  private idle: (() => void)[] = [];
  readonly listeners = new Set<(e: JobEvent) => void>();
  constructor(private readonly core: Core) {}

  emit(job: Job): void {
    const event = toEvent(job);
    for (const listen of this.listeners) listen(event);
  }

  async start(kind: string, params: Record<string, unknown>, createdBy: string | null): Promise<Job> {
    if (!handlers.has(kind)) throw new Error(`unknown job kind ${kind}`);
    const job = await this.core.queue.write(({ orm }) =>
      orm.insert(jobs).values({ id: ids.nextString(), kind, status: "queued", progress: 0, detail: "", params: JSON.stringify(params), createdBy, createdAt: new Date().toISOString() }).returning().get(),
    );
    this.emit(job);
    queueMicrotask(() => void this.next());
    return job;
  }

  async cancel(id: string): Promise<Job | undefined> {
    if (this.running?.id === id) {
      this.running.abort.abort();
      return getJob(this.core, id);
    }
    const job = await this.core.queue.write(({ orm }) => orm.update(jobs).set({ status: "cancelled", finishedAt: new Date().toISOString() }).where(eq(jobs.id, id)).returning().get());
    if (job) this.emit(job);
    return job;
  }

  /** Shutdown: abort the running job and drop the queued ones (they are marked failed at next start). */
  async cancelRunning(): Promise<void> {
    this.stopped = true;
    this.running?.abort.abort();
  }

  isBusyWith(kind: string): boolean {
    return this.core.db.readOrm.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.kind, kind), inArray(jobs.status, ["queued", "running"]))).get() !== undefined;
  }

  /** Resolves when no job is queued or running (tests, shutdown). */
  settled(): Promise<void> {
    const busy = this.running || (!this.stopped && this.core.db.readOrm.select({ id: jobs.id }).from(jobs).where(eq(jobs.status, "queued")).get());
    return busy ? new Promise((resolve) => this.idle.push(resolve)) : Promise.resolve();
  }

  private async next(): Promise<void> {
    if (this.running) return;
    const job = this.stopped ? undefined : this.core.db.readOrm.select().from(jobs).where(eq(jobs.status, "queued")).orderBy(jobs.id).get();
    if (!job) {
      for (const wake of this.idle.splice(0)) wake();
      return;
    }
    const abort = new AbortController();
    this.running = { id: job.id, abort };
    const write = (set: Partial<Job>) => this.core.queue.write(({ orm }) => orm.update(jobs).set(set).where(eq(jobs.id, job.id)).returning().get());
    let current = await write({ status: "running" });
    this.emit(current);
    let lastWrite = 0;
    const ctx: JobContext = {
      core: this.core,
      jobId: job.id,
      params: JSON.parse(job.params) as Record<string, unknown>,
      createdBy: job.createdBy,
      signal: abort.signal,
      progress: (fraction, detail) => {
        current = { ...current, progress: Math.max(0, Math.min(1, fraction)), detail: detail ?? current.detail };
        this.emit(current);
        if (Date.now() - lastWrite >= WRITE_EVERY_MS) {
          lastWrite = Date.now();
          void write({ progress: current.progress, detail: current.detail }).catch(() => {});
        }
      },
    };
    let final: Partial<Job>;
    try {
      const result = await handlers.get(job.kind)!(ctx);
      final = { status: "done", progress: 1, result: JSON.stringify(result) };
    } catch (err) {
      const cancelled = err instanceof JobCancelled || abort.signal.aborted;
      if (!cancelled) this.core.logger.error("job failed", { job: job.id, kind: job.kind, err });
      final = cancelled ? { status: "cancelled" } : { status: "failed", error: (err as Error).message.slice(0, 500) };
    }
    try {
      this.emit(await write({ ...final, finishedAt: new Date().toISOString() }));
    } finally {
      this.running = null;
      void this.next();
    }
  }

  /** Jobs that were queued or running when the server stopped cannot resume: mark them failed. */
  async recover(): Promise<void> {
    await this.core.queue.write(({ orm }) =>
      orm.update(jobs).set({ status: "failed", error: "interrupted by a server restart", finishedAt: new Date().toISOString() }).where(inArray(jobs.status, ["queued", "running"])).run(),
    );
  }
}

const runners = new WeakMap<Core, Runner>();
export function jobRunner(core: Core): Runner {
  let r = runners.get(core);
  if (!r) runners.set(core, (r = new Runner(core)));
  return r;
}

export const getJob = (core: Core, id: string): Job | undefined => core.db.readOrm.select().from(jobs).where(eq(jobs.id, id)).get();
export const recentJobs = (core: Core, limit = 30): Job[] => core.db.readOrm.select().from(jobs).orderBy(desc(jobs.id)).limit(limit).all();
export const jobEvent = toEvent;
