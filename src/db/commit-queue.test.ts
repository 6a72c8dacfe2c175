import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { tempDir } from "../testing/app.ts";
import { openDatabase, type DatabaseHandle } from "./client.ts";
import { CommitQueue, QueueClosedError } from "./commit-queue.ts";

let dir: string;
let db: DatabaseHandle;
let queue: CommitQueue;

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(dir);
  db.writer.run("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE) STRICT");
  queue = new CommitQueue({ sqlite: db.writer, orm: db.writeOrm });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (v: string) => queue.write(({ sqlite }) => sqlite.query("INSERT INTO t (v) VALUES (?)").run(v).changes);
const count = () => Number(db.reader.query<{ n: bigint }, []>("SELECT count(*) AS n FROM t").get()!.n);

describe("group commit", () => {
  test("a before-commit hook runs once per group, after its writes; one that throws is undone alone and the writes still commit", async () => {
    db.writer.run("CREATE TABLE seen (groups INTEGER NOT NULL, rows INTEGER NOT NULL) STRICT");
    queue.beforeCommit(({ sqlite }) => void sqlite.run("INSERT INTO seen SELECT 1, count(*) FROM t"));
    const errors: unknown[] = [];
    queue.onHookError = (e) => errors.push(e);
    await Promise.all(Array.from({ length: 5 }, (_, i) => insert(`h${i}`)));
    expect(db.reader.query<{ groups: bigint; rows: bigint }, []>("SELECT groups, rows FROM seen").all()).toEqual([{ groups: 1n, rows: 5n }]);
    queue.beforeCommit(() => {
      throw new Error("hook failed");
    });
    await insert("after");
    expect(count()).toBe(6);
    expect(errors.map((e) => (e as Error).message)).toEqual(["hook failed"]);
    expect(Number(db.reader.query<{ n: bigint }, []>("SELECT count(*) AS n FROM seen").get()!.n)).toBe(2);
  });

  test("concurrent writes share one transaction", async () => {
    await Promise.all(Array.from({ length: 64 }, (_, i) => insert(`v${i}`)));
    expect(queue.stats.writes).toBe(64);
    expect(queue.stats.commits).toBe(1);
    expect(count()).toBe(64);
  });

  test("each caller's promise resolves only after the commit, so the write is visible to other connections", async () => {
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        insert(`x${i}`).then(() => {
          seen.push(count());
        }),
      ),
    );
    // Every resolution saw all ten rows: none resolved before the shared COMMIT.
    expect(seen).toEqual(Array(10).fill(10));
  });

  test("a failing write rolls back alone and rejects only its own promise", async () => {
    const results = await Promise.allSettled([
      insert("a"),
      queue.write(({ sqlite }) => {
        sqlite.run("INSERT INTO t (v) VALUES ('half')");
        throw new Error("boom");
      }),
      insert("a"), // UNIQUE violation
      insert("b"),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect(db.reader.query<{ v: string }, []>("SELECT v FROM t ORDER BY v").all().map((r) => r.v)).toEqual(["a", "b"]);
    expect(queue.stats.commits).toBe(1);
  });

  test("a write that returns a promise is refused, because it could not finish inside the transaction", async () => {
    await expect(queue.write(async () => 1)).rejects.toThrow(/must be synchronous/);
  });

  test("writes after close are refused and queued ones still commit", async () => {
    const pending = insert("last");
    await queue.close();
    await expect(pending).resolves.toBe(1);
    expect(count()).toBe(1);
    await expect(insert("late")).rejects.toBeInstanceOf(QueueClosedError);
  });

  test("big bursts are split into bounded transactions and all commit", async () => {
    const small = new CommitQueue({ sqlite: db.writer, orm: db.writeOrm }, 10);
    await Promise.all(Array.from({ length: 35 }, (_, i) => small.write(({ sqlite }) => sqlite.query("INSERT INTO t (v) VALUES (?)").run(`b${i}`))));
    expect(small.stats.commits).toBe(4);
    expect(count()).toBe(35);
  });

  test("drain waits for queued writes", async () => {
    void insert("d1");
    void insert("d2");
    await queue.drain();
    expect(count()).toBe(2);
  });
});
