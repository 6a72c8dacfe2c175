// File names are display text only: the stored copy is named by its hash, so nothing a client
// sends ever becomes a path. Still, the name is shown, put in URLs and in Content-Disposition, so
// it is cleaned: no directories, control or bidirectional-override characters (an RTL override
// makes "gpj.exe" read as "exe.jpg"), no characters that are awkward in file systems, bounded length.
const MAX_NAME = 100;

export function sanitizeFilename(raw: string): string {
  let name = raw.normalize("NFC");
  // Only the last path segment, whichever separator the client's system uses.
  name = name.split(/[/\\]/).pop() ?? "";
  name = name
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
    .replace(/[<>:"|?*%#]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[.\s]+/, "");
  if (name.length > MAX_NAME) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
    name = Array.from(name).slice(0, MAX_NAME - ext.length).join("").trimEnd() + ext;
  }
  return name || "file";
}

/** A name that says "spoiler" the way Discord does it. */
export const SPOILER_PREFIX = "SPOILER_";
