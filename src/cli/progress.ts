// The progress line of long CLI commands (backup, restore): redrawn in place on a terminal, one
// line per step otherwise (so logs from cron or systemd stay readable). Written to stderr: stdout
// keeps the one-line result that scripts read.
const WIDTH = 24;

export function progressLine(stream: { write(s: string): unknown; isTTY?: boolean } = process.stderr): { update(fraction: number, detail: string): void; done(): void } {
  let lastDetail = "";
  let drawn = false;
  return {
    update(fraction, detail) {
      const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
      const filled = Math.round((pct / 100) * WIDTH);
      const line = `[${"#".repeat(filled)}${" ".repeat(WIDTH - filled)}] ${String(pct).padStart(3)}% ${detail}`;
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else if (detail.split(" ")[0] !== lastDetail) {
        stream.write(`${line}\n`);
      }
      lastDetail = detail.split(" ")[0] ?? "";
    },
    done() {
      if (drawn) stream.write("\n");
    },
  };
}
