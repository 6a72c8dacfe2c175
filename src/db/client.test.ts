import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../testing/app.ts";
import { assertSqliteVersion, DB_FILE, openDatabase, quickCheck, StartupError } from "./client.ts";

const dirs: string[] = [];
const dir = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("opening the database", () => {
  test("both connections run WAL, synchronous=FULL, foreign keys and a busy timeout; the reader cannot write", () => {
    const db = openDatabase(dir());
    const pragma = (name: string) => Object.values(db.writer.query(`PRAGMA ${name}`).get() as object)[0];
    expect(pragma("journal_mode")).toBe("wal");
    expect(Number(pragma("synchronous"))).toBe(2);
    expect(Number(pragma("foreign_keys"))).toBe(1);
    expect(Number(pragma("busy_timeout"))).toBe(5000);
    expect(Number(Object.values(db.reader.query("PRAGMA synchronous").get() as object)[0])).toBe(2);
    expect(() => db.reader.run("CREATE TABLE x (a INTEGER) STRICT")).toThrow();
    db.close();
  });

  test("64-bit integers come back without losing precision", () => {
    const db = openDatabase(dir());
    const row = db.reader.query<{ v: bigint }, []>("SELECT 1152921504606846977 AS v").get();
    expect(row!.v).toBe(1152921504606846977n);
    db.close();
  });

  test("the data dir is created on first open", () => {
    const target = join(dir(), "nested", "data");
    const db = openDatabase(target);
    expect(db.path).toBe(join(target, DB_FILE));
    db.close();
  });

  test("a data dir that cannot be written gives a clear message", () => {
    const file = join(dir(), "a-file");
    writeFileSync(file, "not a folder");
    expect(() => openDatabase(join(file, "data"))).toThrow(StartupError);
    expect(() => openDatabase(join(file, "data"))).toThrow(/data directory .* is not writable \(ENOTDIR\)/);
  });

  test("SQLite older than 3.51.3 is refused", () => {
    for (const v of ["3.51.2", "3.45.0", "2.99.99"]) expect(() => assertSqliteVersion(v)).toThrow(/too old/);
    for (const v of ["3.51.3", "3.52.0", "4.0.0"]) expect(() => assertSqliteVersion(v)).not.toThrow();
  });

  test("a file that is not a database is reported, not overwritten", () => {
    const d = dir();
    writeFileSync(join(d, DB_FILE), "x".repeat(8192));
    expect(() => openDatabase(d)).toThrow(/not a usable database|cannot open|corrupt/);
  });

  test("quick_check reports a damaged database", () => {
    const d = dir();
    const db = openDatabase(d);
    db.writer.run("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) STRICT");
    db.writer.run("CREATE INDEX t_v ON t (v)");
    const insert = db.writer.query("INSERT INTO t (v) VALUES (?)");
    for (let i = 0; i < 2000; i++) insert.run(`value ${i}`.padEnd(100, "x"));
    db.close();
    // Damage a few pages behind SQLite's back, as a failing disk would.
    const path = join(d, DB_FILE);
    const bytes = new Uint8Array(readFileSync(path));
    for (let i = 4096 * 3; i < 4096 * 6; i++) bytes[i] = 0xa5;
    writeFileSync(path, bytes);
    expect(() => {
      const reopened = openDatabase(d);
      try {
        quickCheck(reopened.writer, path);
      } finally {
        reopened.close();
      }
    }).toThrow(/corrupt|not a usable database|malformed/);
  });
});
