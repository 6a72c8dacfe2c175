// The three export formats. JSON: a zip with export.json (the Bundle) and the attachments it names,
// which the importer takes back as it is. CSV: one row per message (RFC 4180 quoting; a leading
// = + - @ is prefixed with ' so a spreadsheet never runs it as a formula). HTML: a zip that opens
// offline in any browser: one page per channel, plain escaped text, attachments beside it.
import { existsSync, writeFileSync } from "node:fs";
import { escapeHtml } from "./html.ts";
import type { ExportData } from "./export.ts";
import { ZipFile } from "./zip-writer.ts";

export type Progress = (fraction: number, detail: string) => void;

async function addFiles(zip: ZipFile, files: Map<string, string>, progress: Progress, signal: AbortSignal, from: number, to: number): Promise<void> {
  let n = 0;
  for (const [key, path] of files) {
    if (signal.aborted) return;
    if (existsSync(path)) zip.bytes(key, await Bun.file(path).bytes());
    progress(from + (to - from) * (++n / files.size), `attachments ${n}/${files.size}`);
  }
}

export async function writeJsonExport(data: ExportData, out: string, progress: Progress, signal: AbortSignal): Promise<void> {
  const zip = new ZipFile(out);
  zip.text("export.json", JSON.stringify(data.bundle));
  progress(0.3, "export.json");
  await addFiles(zip, data.files, progress, signal, 0.3, 0.95);
  await zip.close();
}

const CSV_HEADER = ["id", "timestamp", "channel_id", "channel", "author_id", "author", "content", "edited_timestamp", "pinned", "reply_to_id", "attachments", "reactions"];
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function writeCsvExport(data: ExportData, out: string): void {
  const users = new Map(data.bundle.users.map((u) => [u.id, u.username]));
  const channels = new Map(data.bundle.channels.map((c) => [c.id, c.name]));
  const rows = [CSV_HEADER.join(",")];
  for (const m of data.bundle.messages) {
    rows.push(
      [
        m.id,
        m.timestamp,
        m.channel_id,
        channels.get(m.channel_id) ?? "",
        m.author_id,
        users.get(m.author_id) ?? "",
        m.content,
        m.edited_timestamp ?? "",
        m.pinned ? "true" : "false",
        m.reply_to_id ?? "",
        m.attachments.map((a) => a.filename).join(" | "),
        m.reactions.map((r) => `${r.emoji} ${r.user_ids.length}`).join(" | "),
      ]
        .map(cell)
        .join(","),
    );
  }
  writeFileSync(out, `\uFEFF${rows.join("\r\n")}\r\n`);
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328;background:#fff}
nav a{margin-right:1rem}article{padding:.4rem 0;border-bottom:1px solid #eee}header b{margin-right:.5rem}time{color:#667;font-size:.85em}
.content{white-space:pre-wrap;overflow-wrap:anywhere}img{max-width:24rem;max-height:18rem;display:block;margin:.3rem 0}.reactions{color:#555;font-size:.9em}
.thread{margin-left:2rem;border-left:3px solid #ddd;padding-left:1rem}@media(prefers-color-scheme:dark){body{background:#1e1f22;color:#dbdee1}article{border-color:#333}}`;

export async function writeHtmlExport(data: ExportData, out: string, progress: Progress, signal: AbortSignal): Promise<void> {
  const b = data.bundle;
  const users = new Map(b.users.map((u) => [u.id, u.display_name ?? u.username]));
  const zip = new ZipFile(out);
  zip.text("style.css", STYLE);
  const textChannels = b.channels.filter((c) => c.type === 0 || c.type === 11 || c.type === 12);
  const page = (title: string, body: string) => `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="style.css"></head><body>${body}</body></html>`;
  const nav = `<nav><a href="index.html">${escapeHtml(b.guild.name)}</a></nav>`;
  zip.text(
    "index.html",
    page(b.guild.name, `<h1>${escapeHtml(b.guild.name)}</h1><p>${escapeHtml(b.guild.description)}</p><ul>${textChannels.map((c) => `<li><a href="channel-${c.id}.html">${c.thread ? "↳ " : "#"}${escapeHtml(c.name)}</a></li>`).join("")}</ul>`),
  );
  for (const c of textChannels) {
    const items = b.messages
      .filter((m) => m.channel_id === c.id)
      .map((m) => {
        const files = m.attachments
          .map((a) => (a.key ? (a.content_type?.startsWith("image/") ? `<a href="${escapeHtml(a.key)}"><img src="${escapeHtml(a.key)}" alt="${escapeHtml(a.description ?? a.filename)}"></a>` : `<a href="${escapeHtml(a.key)}" download="${escapeHtml(a.filename)}">${escapeHtml(a.filename)}</a>`) : ""))
          .join("");
        const reactions = m.reactions.length ? `<div class="reactions">${m.reactions.map((r) => `${escapeHtml(r.emoji)} ${r.user_ids.length}`).join(" · ")}</div>` : "";
        return `<article id="m-${m.id}"><header><b>${escapeHtml(users.get(m.author_id) ?? "?")}</b><time datetime="${m.timestamp}">${m.timestamp.replace("T", " ").slice(0, 16)}</time>${m.edited_timestamp ? " <time>(edited)</time>" : ""}</header><div class="content">${escapeHtml(m.content)}</div>${files}${reactions}</article>`;
      });
    zip.text(`channel-${c.id}.html`, page(`#${c.name}`, `${nav}<h1>#${escapeHtml(c.name)}</h1><p>${escapeHtml(c.topic)}</p>${items.join("")}`));
  }
  progress(0.3, "pages");
  await addFiles(zip, data.files, progress, signal, 0.3, 0.95);
  await zip.close();
}
