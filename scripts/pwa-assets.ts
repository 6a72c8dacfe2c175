// One-off generator for the committed PWA icons and the notification sound (run again after
// changing static/icons/logo.svg). Bun's image API reads no SVG, so Chromium rasterises the logo;
// the sound is a short two-tone chime synthesised here, so every byte shipped is our own.
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const icons = join(root, "static/icons");
const svg = readFileSync(join(icons, "logo.svg"), "utf8");
const browser = await chromium.launch({ executablePath: process.env.POKYNANO_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;

async function render(file: string, size: number, opts: { inset?: number; dot?: boolean } = {}) {
  await page.setViewportSize({ width: size, height: size });
  const inset = opts.inset ?? 0;
  // Maskable icons need a full-bleed background with the logo inside the 80% safe zone.
  const bg = inset ? "#5865f2" : "transparent";
  const dot = opts.dot ? `<div style="position:absolute;right:0;top:0;width:${size * 0.42}px;height:${size * 0.42}px;border-radius:50%;background:#ed4245;border:${size * 0.05}px solid #fff;box-sizing:border-box"></div>` : "";
  await page.setContent(`<html><body style="margin:0;background:${bg}"><div style="position:relative;width:${size}px;height:${size}px"><img src="${dataUrl}" style="position:absolute;left:${inset}px;top:${inset}px;width:${size - 2 * inset}px;height:${size - 2 * inset}px">${dot}</div></body></html>`);
  await page.waitForFunction(() => document.images[0]!.complete);
  writeFileSync(join(icons, file), await page.screenshot({ omitBackground: !inset, type: "png" }));
}

await render("icon-192.png", 192);
await render("icon-512.png", 512);
await render("maskable-512.png", 512, { inset: 52 });
await render("apple-touch-icon.png", 180, { inset: 18 });
await render("favicon-unread.png", 64, { dot: true });
await browser.close();

// 16-bit mono PCM WAV, 22.05 kHz: two soft sine tones with a decaying envelope (~0.25 s, 11 KB).
const rate = 22050;
const tones = [
  [880, 0, 0.12],
  [1320, 0.09, 0.25],
] as const;
const samples = Math.round(rate * 0.26);
const pcm = Buffer.alloc(samples * 2);
for (let i = 0; i < samples; i++) {
  const t = i / rate;
  let v = 0;
  for (const [freq, start, end] of tones) if (t >= start && t < end) v += Math.sin(2 * Math.PI * freq * (t - start)) * Math.exp(-(t - start) * 18) * Math.min(1, (t - start) * 400);
  pcm.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v * 0.35)) * 32767), i * 2);
}
const header = Buffer.alloc(44);
header.write("RIFF", 0);
header.writeUInt32LE(36 + pcm.length, 4);
header.write("WAVEfmt ", 8);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20);
header.writeUInt16LE(1, 22);
header.writeUInt32LE(rate, 24);
header.writeUInt32LE(rate * 2, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write("data", 36);
header.writeUInt32LE(pcm.length, 40);
writeFileSync(join(root, "static/sounds/notify.wav"), Buffer.concat([header, pcm]));
console.log("pwa-assets: icons and sound written");
