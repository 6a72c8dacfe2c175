// Drizzle mirror of the jobs table of migrations/0015_operations.sql.
import { real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { snowflake } from "../db/columns.ts";

export const JOB_STATUSES = ["queued", "running", "done", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const jobs = sqliteTable("jobs", {
  id: snowflake("id").primaryKey(),
  kind: text("kind").notNull(),
  status: text("status", { enum: JOB_STATUSES }).notNull(),
  progress: real("progress").notNull(),
  detail: text("detail").notNull(),
  params: text("params").notNull(),
  result: text("result"),
  error: text("error"),
  createdBy: snowflake("created_by"),
  createdAt: text("created_at").notNull(),
  finishedAt: text("finished_at"),
});
export type Job = typeof jobs.$inferSelect;
