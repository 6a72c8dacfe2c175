import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { migrationFiles } from "../generated/embedded.ts";
import { tempDir } from "../testing/app.ts";
import { openDatabase, StartupError, type DatabaseHandle } from "./client.ts";
import { migrate, migrationStatus, parseMigrations } from "./migrate.ts";

let dir: string;
let db: DatabaseHandle;
beforeEach(() => {
  dir = tempDir();
  db = openDatabase(dir);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const two = parseMigrations([
  { file: "0002_b.sql", sql: "CREATE TABLE b (id INTEGER PRIMARY KEY) STRICT;" },
  { file: "0001_a.sql", sql: "CREATE TABLE a (id INTEGER PRIMARY KEY) STRICT; INSERT INTO a VALUES (1);" },
]);

describe("migrations", () => {
  test("every file in migrations/ is embedded, in order", () => {
    const onDisk = readdirSync(join(import.meta.dir, "../../migrations")).filter((f) => f.endsWith(".sql")).sort();
    expect(migrationFiles.map((m) => m.file)).toEqual(onDisk);
    expect(parseMigrations(migrationFiles).length).toBe(onDisk.length);
  });

  test("pending migrations are applied in order, recorded, and not applied twice", () => {
    expect(migrate(db.writer, two)).toEqual([1, 2]);
    expect(migrate(db.writer, two)).toEqual([]);
    expect(Number(db.reader.query<{ n: bigint }, []>("SELECT count(*) AS n FROM a").get()!.n)).toBe(1);
    const status = migrationStatus(db.writer, two);
    expect(status.map((s) => [s.id, s.name, typeof s.appliedAt])).toEqual([
      [1, "a", "string"],
      [2, "b", "string"],
    ]);
  });

  test("status lists pending migrations without applying them", () => {
    migrate(db.writer, two.slice(0, 1));
    expect(migrationStatus(db.writer, two).map((s) => s.appliedAt === null)).toEqual([false, true]);
    expect(() => db.reader.query("SELECT * FROM b").all()).toThrow();
  });

  test("a migration that fails leaves nothing half-applied", () => {
    const bad = parseMigrations([{ file: "0001_bad.sql", sql: "CREATE TABLE c (id INTEGER) STRICT; INSERT INTO nope VALUES (1);" }]);
    expect(() => migrate(db.writer, bad)).toThrow();
    expect(() => db.reader.query("SELECT * FROM c").all()).toThrow();
    expect(migrationStatus(db.writer, bad)[0]!.appliedAt).toBeNull();
  });

  test("an applied migration whose text changed stops the start", () => {
    migrate(db.writer, two);
    const edited = parseMigrations([
      { file: "0001_a.sql", sql: "CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT) STRICT;" },
      { file: "0002_b.sql", sql: "CREATE TABLE b (id INTEGER PRIMARY KEY) STRICT;" },
    ]);
    expect(() => migrate(db.writer, edited)).toThrow(StartupError);
    expect(() => migrate(db.writer, edited)).toThrow(/was changed after it was applied/);
  });

  test("a database migrated by a newer version is refused", () => {
    migrate(db.writer, two);
    expect(() => migrate(db.writer, two.slice(0, 1))).toThrow(/migrated by a newer Pokynano \(migration 2\)/);
  });

  test("files must be numbered without gaps and named NNNN_name.sql", () => {
    expect(() => parseMigrations([{ file: "0002_x.sql", sql: "" }])).toThrow(/without gaps/);
    expect(() => parseMigrations([{ file: "init.sql", sql: "" }])).toThrow(/NNNN_name\.sql/);
  });
});
