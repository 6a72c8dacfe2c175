import { describe, expect, test } from "bun:test";
import { EPOCH_MS, parseSnowflake, SnowflakeGenerator, snowflakeAt, snowflakeTime } from "./snowflake.ts";

describe("snowflakes", () => {
  test("ids are unique and strictly increasing, even past 4096 in one millisecond", () => {
    const gen = new SnowflakeGenerator(0n, () => 1_700_000_000_000);
    let prev = 0n;
    for (let i = 0; i < 10_000; i++) {
      const id = gen.next();
      expect(id > prev).toBe(true);
      prev = id;
    }
  });

  test("a clock that steps backwards does not produce a smaller id", () => {
    let now = 1_700_000_000_000;
    const gen = new SnowflakeGenerator(0n, () => now);
    const a = gen.next();
    now -= 5000;
    expect(gen.next() > a).toBe(true);
  });

  test("the creation time is encoded with Discord's layout and epoch", () => {
    const when = new Date("2026-11-21T10:00:00.123Z");
    const id = new SnowflakeGenerator(3n, () => when.getTime()).next();
    expect(snowflakeTime(id).toISOString()).toBe(when.toISOString());
    expect(id >> 22n).toBe(BigInt(when.getTime()) - EPOCH_MS);
    expect((id >> 17n) & 31n).toBe(3n);
    // Discord's documented example: 175928847299117063 was created 2016-04-30T11:18:25.796Z.
    expect(snowflakeTime("175928847299117063").toISOString()).toBe("2016-04-30T11:18:25.796Z");
    expect(snowflakeAt(when) <= id).toBe(true);
  });

  test("ids beyond 2^53 keep every digit as strings", () => {
    const id = new SnowflakeGenerator().nextString();
    expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(BigInt(id).toString()).toBe(id);
  });

  test("parsing user input accepts only decimal snowflakes", () => {
    expect(parseSnowflake("175928847299117063")).toBe(175928847299117063n);
    for (const bad of ["", "abc", "-1", "0", "1e5", " 12", "99999999999999999999", null, 12, {}, "12.5"]) {
      expect(parseSnowflake(bad)).toBeNull();
    }
  });
});
