// Files in two browsers: images dropped onto the conversation appear live (thumbnails) for the
// other person and open in the lightbox; an audio file plays inline and seeks (byte ranges);
// the picker's ✕ cancels; the channel's media panel lists what was posted.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { wav } from "../../src/testing/files.ts";
import { createGuildFixture, type GuildFixture } from "../../src/testing/guilds.ts";
import { makePng } from "../../src/testing/images.ts";
import { writeSetting } from "../../src/instance/service.ts";
import { type Browser } from "./support/browser.ts";
import { openLive, signedInBrowsers } from "./support/people.ts";

let app: TestApp;
let g: GuildFixture;
let bea: TestAccount;
let browsers: Browser[] = [];

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Pictures");
  bea = await createAccount(app, { username: "bea_files", displayName: "Bea" });
  await g.join(bea);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  browsers = await signedInBrowsers(app, [g.owner.token, bea.token]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

async function openBoth(): Promise<[Page, Page, string[]]> {
  const { pages, problems } = await openLive(app, browsers, `/channels/${g.guildId}/${g.generalId}`);
  return [pages[0]!, pages[1]!, problems];
}

/** Drop files onto the conversation the way a file manager does (a DataTransfer with File objects). */
async function dropFiles(page: Page, files: { name: string; type: string; bytes: Uint8Array }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.type, data: Buffer.from(f.bytes).toString("base64") }));
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    return dt;
  }, payload);
  const zone = page.locator("section.conversation");
  await zone.dispatchEvent("dragover", { dataTransfer: transfer });
  await zone.dispatchEvent("drop", { dataTransfer: transfer });
}

describe("files in Chromium", () => {
  test("images dropped in one browser show as thumbnails live in the other, and browse in the lightbox", async () => {
    const [owner, other, problems] = await openBoth();
    await dropFiles(owner, [
      { name: "sunrise.png", type: "image/png", bytes: makePng(1600, 900, [240, 160, 40]) },
      { name: "sea.png", type: "image/png", bytes: makePng(300, 300, [20, 90, 200]) },
    ]);
    await owner.locator(".attachment-item.uploaded").nth(1).waitFor({ timeout: 10_000 });
    expect(await owner.locator(".attachment-item progress").first().evaluate((p: HTMLProgressElement) => p.value)).toBe(1);
    await owner.locator(".attachment-item input[data-alt]").first().fill("Sun rising over the hills");
    // No text: a message may be only files.
    await owner.getByLabel("Message #general").press("Enter");

    const thumbs = other.locator("#messages article.message .attachment-image img");
    await thumbs.nth(1).waitFor({ timeout: 10_000 });
    expect(await thumbs.first().getAttribute("alt")).toBe("Sun rising over the hills");
    expect(await thumbs.first().getAttribute("src")).toContain("?thumb=list");
    await other.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>(".attachment-image img")].every((i) => i.complete && i.naturalWidth > 0));
    if (process.env.POKYNANO_SCREENSHOTS) await other.screenshot({ path: `${process.env.POKYNANO_SCREENSHOTS}/files-message.png` });
    expect(await owner.locator(".attachment-tray").isHidden()).toBe(true);

    await thumbs.first().click();
    const lightbox = other.locator("dialog#lightbox");
    await lightbox.waitFor({ state: "visible" });
    const big = lightbox.locator("img");
    await other.waitForFunction(() => (document.querySelector<HTMLImageElement>("#lightbox img")?.naturalWidth ?? 0) === 1600);
    expect(await big.getAttribute("src")).toContain("?thumb=preview");
    expect(await big.getAttribute("alt")).toBe("Sun rising over the hills");
    expect(await lightbox.locator(".lightbox-count").textContent()).toBe("1 / 2");
    if (process.env.POKYNANO_SCREENSHOTS) await other.screenshot({ path: `${process.env.POKYNANO_SCREENSHOTS}/files-lightbox.png` });
    // Focus is inside the dialog; arrows browse, Esc closes and gives focus back.
    expect(await other.evaluate(() => document.activeElement?.closest("dialog")?.id)).toBe("lightbox");
    await other.keyboard.press("ArrowRight");
    expect(await lightbox.locator(".lightbox-count").textContent()).toBe("2 / 2");
    expect(await lightbox.locator(".lightbox-caption").textContent()).toBe("sea.png");
    await other.keyboard.press("ArrowRight");
    expect(await lightbox.locator(".lightbox-count").textContent()).toBe("1 / 2");
    await other.keyboard.press("Escape");
    await lightbox.waitFor({ state: "hidden" });
    expect(await other.evaluate(() => document.activeElement?.matches("a[data-lightbox]"))).toBe(true);

    // The channel's media panel lists both images.
    await other.getByRole("button", { name: "Files and media" }).click();
    await other.locator(".files-popover .media-grid img").nth(1).waitFor();
    if (process.env.POKYNANO_SCREENSHOTS) await other.screenshot({ path: `${process.env.POKYNANO_SCREENSHOTS}/files-panel.png` });
    expect(problems).toEqual([]);
    await owner.close();
    await other.close();
  }, 60_000);

  test("an audio file picked in the composer plays inline in the other browser and seeks", async () => {
    const [owner, other, problems] = await openBoth();
    // Media elements fetch with Range from the start: listen before the message arrives.
    const ranges: number[] = [];
    other.on("response", (res) => {
      if (res.url().includes("birdsong.wav")) ranges.push(res.status());
    });
    await owner.locator("[data-attach-input]").setInputFiles({ name: "birdsong.wav", mimeType: "audio/wav", buffer: Buffer.from(wav(3)) });
    await owner.locator(".attachment-item.uploaded").waitFor({ timeout: 10_000 });
    if (process.env.POKYNANO_SCREENSHOTS) await owner.screenshot({ path: `${process.env.POKYNANO_SCREENSHOTS}/files-composer.png` });
    const box = owner.getByLabel("Message #general");
    await box.fill("listen to this");
    await box.press("Enter");

    const audio = other.locator("#messages article.message").filter({ hasText: "listen to this" }).locator("audio");
    await audio.waitFor({ timeout: 10_000 });
    const played = await audio.evaluate(async (el: HTMLAudioElement) => {
      el.muted = true;
      await el.play();
      await new Promise((r) => setTimeout(r, 300));
      const playing = !el.paused && el.currentTime > 0;
      el.pause();
      const seeked = new Promise((r) => el.addEventListener("seeked", r, { once: true }));
      el.currentTime = 2.25;
      await seeked;
      return { playing, duration: el.duration, at: el.currentTime };
    });
    expect(played.playing).toBe(true);
    expect(played.duration).toBeCloseTo(3, 1);
    expect(played.at).toBeCloseTo(2.25, 1);
    expect(ranges).toContain(206);
    expect(problems).toEqual([]);
    await owner.close();
    await other.close();
  }, 60_000);

  test("a picked or pasted file can be cancelled with ✕ before sending, and nothing is sent", async () => {
    const [owner, other, problems] = await openBoth();
    await owner.locator("[data-attach-input]").setInputFiles({ name: "oops.txt", mimeType: "text/plain", buffer: Buffer.from("not this one") });
    await owner.locator(".attachment-item.uploaded").waitFor({ timeout: 10_000 });
    await owner.getByRole("button", { name: "Remove oops.txt" }).click();
    expect(await owner.locator(".attachment-item").count()).toBe(0);
    // Pasting a file (a screenshot from the clipboard) attaches it the same way.
    await owner.getByLabel("Message #general").evaluate((box) => {
      const dt = new DataTransfer();
      dt.items.add(new File(["pasted bytes"], "clipboard.txt", { type: "text/plain" }));
      box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await owner.locator(".attachment-item.uploaded").filter({ hasText: "clipboard.txt" }).waitFor({ timeout: 10_000 });
    await owner.getByRole("button", { name: "Remove clipboard.txt" }).click();
    expect(await owner.locator(".attachment-item").count()).toBe(0);
    const box = owner.getByLabel("Message #general");
    await box.fill("only text");
    await box.press("Enter");
    await other.locator("#messages article.message").filter({ hasText: "only text" }).waitFor();
    expect(await other.locator("#messages article.message").filter({ hasText: "only text" }).locator(".attachment").count()).toBe(0);
    expect(problems).toEqual([]);
    await owner.close();
    await other.close();
  }, 60_000);
});
