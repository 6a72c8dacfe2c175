// The export and import jobs. Exports are written to <data>/exports (a temp name renamed when
// complete, removed when cancelled); imports read an uploaded file from <data>/imports, which is
// deleted when the job ends either way.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
// fflate loads with the first import or export, not at start.
const unzipSync: typeof import("fflate").unzipSync = (...args) => (require("fflate") as typeof import("fflate")).unzipSync(...args);
import type { Core } from "../core.ts";
import { auditRow } from "../admin/audit.ts";
import { checkCancelled, JobCancelled, registerJobKind } from "../jobs/runner.ts";
import { bundleSchema, BUNDLE_FORMAT, type BundleInput } from "./bundle.ts";
import { discordToBundle, isDiscordExport } from "./discord.ts";
import { readServer } from "./export.ts";
import { writeCsvExport, writeHtmlExport, writeJsonExport } from "./formats.ts";
import { importBundle } from "./import.ts";
import { slackToBundle } from "./slack.ts";

export const EXPORT_FORMATS = ["json", "csv", "html"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const exportsDir = (core: Core) => join(core.config.dataDir, "exports");
export const importsDir = (core: Core) => join(core.config.dataDir, "imports");
const EXPORT_NAME = /^[a-z0-9-]{1,80}\.(zip|csv)$/;

export function exportPath(core: Core, name: string): string | null {
  return EXPORT_NAME.test(name) && existsSync(join(exportsDir(core), name)) ? join(exportsDir(core), name) : null;
}

export function listExports(core: Core): { name: string; bytes: number }[] {
  if (!existsSync(exportsDir(core))) return [];
  return readdirSync(exportsDir(core))
    .filter((n) => EXPORT_NAME.test(n))
    .map((name) => ({ name, bytes: statSync(join(exportsDir(core), name)).size }))
    .sort((a, b) => b.name.localeCompare(a.name));
}

const slug = (s: string) => s.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "server";

registerJobKind("export", async ({ core, params, createdBy, signal, progress, jobId }) => {
  const format = String(params.format) as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new Error("unknown export format");
  progress(0.05, "reading");
  const data = readServer(core, String(params.guild_id), params.channel_id ? String(params.channel_id) : null);
  checkCancelled(signal);
  mkdirSync(exportsDir(core), { recursive: true });
  const name = `${slug(data.bundle.guild.name)}-${params.channel_id ? "channel-" : ""}${format}-${jobId}.${format === "csv" ? "csv" : "zip"}`;
  const partial = join(exportsDir(core), `.${name}.partial`);
  try {
    if (format === "csv") writeCsvExport(data, partial);
    else if (format === "json") await writeJsonExport(data, partial, progress, signal);
    else await writeHtmlExport(data, partial, progress, signal);
    checkCancelled(signal);
    renameSync(partial, join(exportsDir(core), name));
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  await core.queue.write((tx) => auditRow(tx, createdBy, "export.create", String(params.guild_id), { format, channel_id: params.channel_id ?? null, file: name, messages: data.bundle.messages.length }));
  return { file: name, messages: data.bundle.messages.length, attachments: data.files.size };
});

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b;

/** A zip may not unpack to more than this (sizes as its directory declares them; fflate sizes its buffers from them). */
export const MAX_UNZIPPED_BYTES = 2 * 1024 * 1024 * 1024;
const MAX_ENTRIES = 200_000;

/** What an uploaded file is, as a Bundle plus where its attachments' bytes are. */
export function readImport(bytes: Uint8Array, fallbackName: string, maxUnzipped = MAX_UNZIPPED_BYTES): { bundle: BundleInput; entries: Map<string, Uint8Array> } {
  if (!isZip(bytes)) {
    const json = JSON.parse(new TextDecoder().decode(bytes)) as { format?: string };
    if (json.format === BUNDLE_FORMAT) return { bundle: json as BundleInput, entries: new Map() };
    if (isDiscordExport(json)) return { bundle: discordToBundle([json], new Set()), entries: new Map() };
    throw new Error("this file is neither a Pokynano export nor a DiscordChatExporter JSON export");
  }
  // Zip entries are read with their names as data only: nothing from the archive becomes a path.
  // A zip bomb is refused from its directory, before anything is inflated.
  let total = 0;
  let count = 0;
  const unzipped = unzipSync(bytes, {
    filter: (file) => {
      total += file.originalSize;
      if (++count > MAX_ENTRIES || total > maxUnzipped) throw new Error(`this zip unpacks to more than ${Math.round(maxUnzipped / 1048576)} MiB or ${MAX_ENTRIES} files; split the export`);
      return true;
    },
  });
  const entries = new Map(Object.entries(unzipped).filter(([name]) => !name.endsWith("/")));
  const text = (name: string) => new TextDecoder().decode(entries.get(name)!);
  if (entries.has("export.json")) return { bundle: JSON.parse(text("export.json")) as BundleInput, entries };
  if (entries.has("users.json") && entries.has("channels.json")) return { bundle: slackToBundle(entries, fallbackName), entries };
  const jsons = [...entries.keys()].filter((k) => k.endsWith(".json")).map((k) => JSON.parse(text(k)) as unknown).filter(isDiscordExport);
  if (jsons.length) return { bundle: discordToBundle(jsons, new Set(entries.keys())), entries };
  throw new Error("this zip is not a Pokynano export, a Slack export or a DiscordChatExporter export");
}

registerJobKind("import", async ({ core, params, createdBy, signal, progress }) => {
  const path = join(importsDir(core), String(params.upload).replace(/[^A-Za-z0-9.-]/g, ""));
  try {
    if (!existsSync(path)) throw new Error("the uploaded file is gone");
    progress(0.01, "reading");
    const { bundle: raw, entries } = readImport(await Bun.file(path).bytes(), String(params.name ?? "Imported workspace").replace(/\.zip$/i, "").slice(0, 100));
    const parsed = bundleSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`the export is not valid: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    checkCancelled(signal);
    const result = await importBundle(core, parsed.data, async (key) => entries.get(key) ?? null, { ownerId: String(params.owner_id ?? createdBy), signal, progress });
    await core.queue.write((tx) => auditRow(tx, createdBy, "import.create", result.guild_id, { source: parsed.data.source, ...result }));
    core.hub.recheckAccess();
    return { ...result, source: parsed.data.source };
  } catch (err) {
    if (signal.aborted) throw new JobCancelled();
    throw err;
  } finally {
    rmSync(path, { force: true });
  }
});
