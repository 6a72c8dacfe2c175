// `npm run build`: one self-contained executable at dist/pokynano with views, static files and
// migrations embedded. `--target bun-linux-arm64` cross-compiles for a Raspberry Pi;
// `--outfile PATH` writes elsewhere.
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dir, "..");
const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { target: { type: "string" }, outfile: { type: "string", default: "dist/pokynano" } },
});
const outfile = resolve(root, values.outfile!);
mkdirSync(dirname(outfile), { recursive: true });

const prepare = Bun.spawnSync([process.execPath, resolve(root, "scripts/prepare.ts")], { cwd: root, stdout: "inherit", stderr: "inherit" });
if (prepare.exitCode !== 0) process.exit(prepare.exitCode ?? 1);

// --bytecode: precompiled JavaScriptCore bytecode roughly halves the time to first request.
// No .env or bunfig.toml autoloading: configuration comes only from flags and the environment
// (src/config.ts), never from whatever files sit in the directory the binary is started from.
// The SFU's Worker entrypoint is listed too: a compiled binary bundles a worker only when told
// (src/sfu/worker-sfu.ts starts it by this path); so is the backup snapshot thread (src/backup/archive.ts).
const args = [process.execPath, "build", "src/main.ts", "src/sfu/worker.ts", "src/backup/snapshot-worker.ts", "--compile", "--minify", "--bytecode", "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig", "--sourcemap", "--outfile", outfile];
if (values.target) args.push(`--target=${values.target}`);
const started = performance.now();
const build = Bun.spawnSync(args, { cwd: root, stdout: "inherit", stderr: "inherit" });
if (build.exitCode !== 0) process.exit(build.exitCode ?? 1);
const mb = (statSync(outfile).size / 1024 / 1024).toFixed(1);
console.log(`built ${outfile} (${mb} MB) in ${Math.round(performance.now() - started)} ms`);
