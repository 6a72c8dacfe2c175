// `npm run bench` runs every bench/*.bench.ts and prints one JSON object per figure;
// `npm run bench -- NAME` runs one (e.g. `npm run bench -- group-commit`).
import { readdirSync } from "node:fs";
import type { Figure } from "./support.ts";

const only = process.argv.slice(2);
const names = readdirSync(import.meta.dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""))
  .filter((name) => only.length === 0 || only.includes(name));
if (names.length === 0) {
  console.error(`no benchmark named ${only.join(", ")}`);
  process.exit(1);
}
let missed = 0;
for (const name of names) {
  const mod = (await import(`./${name}.bench.ts`)) as { run: () => Promise<Figure[]> };
  for (const figure of await mod.run()) {
    console.log(JSON.stringify(figure));
    if (!figure.met) missed++;
  }
}
if (missed) console.error(`${missed} target(s) missed`);
