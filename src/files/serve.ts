// Serving stored files (shared/SECURITY.md): the type we sniffed, inline only for an allowlist of
// image/audio/video/plain-text types (SVG and HTML always download, as application/octet-stream),
// nosniff, a sandbox CSP of their own, a strong ETag (the content hash) and a year of private
// cache (the URL never changes content; "private" because access is checked per user). Byte
// ranges (RFC 9110) make seeking and resuming work: 206 for one satisfiable range, 416 for one
// that is not, the whole file for several ranges or a header we do not understand.
import type { Context } from "hono";
import { servedInline } from "./sniff.ts";

export interface ServedFile {
  path: string;
  size: number;
  etag: string;
  contentType: string;
  filename: string;
}

type Range = { start: number; end: number } | "unsatisfiable" | null;

export function parseRange(header: string | undefined, size: number): Range {
  if (!header) return null;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header.trim());
  if (!m) return null; // several ranges, another unit or garbage: ignore the header
  const [, first, last] = m;
  if (first === "" && last === "") return null;
  if (first === "") {
    // Suffix: the last N bytes.
    const n = Number(last);
    if (n === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || (last !== "" && Number(last) < start)) return "unsatisfiable";
  return { start, end };
}

// RFC 6266: an ASCII fallback plus the UTF-8 name.
const disposition = (kind: "inline" | "attachment", filename: string) =>
  `${kind}; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;

export function serveFile(c: Context, file: ServedFile): Response {
  const inline = servedInline(file.contentType);
  const headers: Record<string, string> = {
    "Content-Type": inline ? (file.contentType === "text/plain" ? "text/plain; charset=utf-8" : file.contentType) : "application/octet-stream",
    "Content-Disposition": disposition(inline ? "inline" : "attachment", file.filename),
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, max-age=31536000, immutable",
    ETag: file.etag,
    "Accept-Ranges": "bytes",
  };
  const ifNoneMatch = c.req.header("If-None-Match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === file.etag || t.trim() === "*")) return new Response(null, { status: 304, headers });
  // If-Range: resume only when the client's copy is this one; otherwise send everything.
  const ifRange = c.req.header("If-Range");
  const range = ifRange && ifRange !== file.etag ? null : parseRange(c.req.header("Range"), file.size);
  const blob = Bun.file(file.path);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${file.size}` } });
  if (range === null) return new Response(c.req.method === "HEAD" ? null : blob, { status: 200, headers: { ...headers, "Content-Length": String(file.size) } });
  const length = range.end - range.start + 1;
  return new Response(c.req.method === "HEAD" ? null : blob.slice(range.start, range.end + 1), {
    status: 206,
    headers: { ...headers, "Content-Range": `bytes ${range.start}-${range.end}/${file.size}`, "Content-Length": String(length) },
  });
}
