import { expect, test } from "bun:test";
import { resolve } from "node:path";

test("the whole project type-checks under strict TypeScript", () => {
  const root = resolve(import.meta.dir, "..");
  const res = Bun.spawnSync([resolve(root, "node_modules/.bin/tsc"), "-p", root], { cwd: root, stdout: "pipe", stderr: "pipe" });
  expect(res.stdout.toString() + res.stderr.toString()).toBe("");
  expect(res.exitCode).toBe(0);
}, 60_000);
