// Writing a zip to disk entry by entry (fflate's streaming Zip): only one attachment is in memory
// at a time. Text entries are deflated; attachments (mostly already compressed) are stored.
import type { Zip } from "fflate";
// fflate loads with the first export, not at start.
const fflate = () => require("fflate") as typeof import("fflate");
import { createWriteStream } from "node:fs";

export class ZipFile {
  private zip: Zip;
  private out: ReturnType<typeof createWriteStream>;
  private finished: Promise<void>;
  private failed: Error | null = null;

  constructor(path: string) {
    this.out = createWriteStream(path);
    let done!: () => void;
    let fail!: (e: Error) => void;
    this.finished = new Promise<void>((resolve, reject) => {
      done = resolve;
      fail = reject;
    });
    this.out.on("error", (e) => fail(e));
    this.zip = new (fflate().Zip)((err, chunk, final) => {
      if (err) {
        this.failed = err;
        fail(err);
        return;
      }
      this.out.write(chunk);
      if (final) this.out.end(() => done());
    });
  }

  text(name: string, content: string): void {
    const entry = new (fflate().ZipDeflate)(name, { level: 6 });
    this.zip.add(entry);
    entry.push(new TextEncoder().encode(content), true);
  }

  bytes(name: string, data: Uint8Array): void {
    const entry = new (fflate().ZipPassThrough)(name);
    this.zip.add(entry);
    entry.push(data, true);
  }

  async close(): Promise<void> {
    if (this.failed) throw this.failed;
    this.zip.end();
    await this.finished;
  }
}
