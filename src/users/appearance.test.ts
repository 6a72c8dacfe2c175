// Accent colour, density and font size: saved from the form and the API, applied through /me.css.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { textOnAccent } from "./appearance.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  await createAccount(app, { username: "owner", admin: true });
});
afterAll(() => app.close());

const meCss = async (cookie: string) => (await app.fetch("/me.css", { headers: { Cookie: cookie } })).text();

describe("appearance settings", () => {
  test("the defaults add nothing to the per-user stylesheet", async () => {
    const acct = await createAccount(app);
    expect(await meCss(acct.cookie)).not.toContain("appearance");
  });

  test("the appearance form sets accent, compact density and font size, and /me.css applies them", async () => {
    const acct = await createAccount(app);
    const res = await postForm(app, "/settings/appearance", { theme: "light", accent: "#FFCC00", density: "compact", font_size: "20" }, acct.cookie);
    expect(res.status).toBe(303);
    const css = await meCss(acct.cookie);
    // A pale accent gets dark text on it, so buttons keep their contrast.
    expect(css).toContain("--accent: #ffcc00; --accent-text: #000000;");
    expect(css).toContain("font-size: 20px");
    expect(css).toContain(".message { padding: 1px 8px;");
    const page = await (await app.fetch("/settings/appearance", { headers: { Cookie: acct.cookie } })).text();
    expect(page).toContain('value="#ffcc00"');
    expect(page).toMatch(/value="compact" checked/);

    expect((await postForm(app, "/settings/appearance", { accent: "#123456", accent_default: "1" }, acct.cookie)).status).toBe(303);
    expect(await meCss(acct.cookie)).not.toContain("--accent:");
  });

  test("the API reads and writes the same settings and refuses bad values without saving them", async () => {
    const acct = await createAccount(app);
    const ok = await api(app, "PATCH", "/users/@me", { accent_color: "#0a5c36", message_density: "compact", font_size: 14 }, acct.bearer);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ accent_color: "#0a5c36", message_density: "compact", font_size: 14 });
    for (const bad of [{ accent_color: "red" }, { font_size: 13 }, { message_density: "airy" }, { font_size: "big" }]) {
      expect((await api(app, "PATCH", "/users/@me", bad, acct.bearer)).status).toBe(400);
    }
    expect(await (await api(app, "GET", "/users/@me", undefined, acct.bearer)).json()).toMatchObject({ accent_color: "#0a5c36", font_size: 14 });
    expect((await postForm(app, "/settings/appearance", { font_size: "99" }, acct.cookie)).status).toBe(400);
  });

  test("role colours of the reader's servers become rules for names that carry them", async () => {
    const owner = await createAccount(app, { admin: true });
    const guild = (await (await api(app, "POST", "/guilds", { name: "Couleurs" }, owner.bearer)).json()) as { id: string };
    expect((await api(app, "POST", `/guilds/${guild.id}/roles`, { name: "Modération", color: 0x2ecc71 }, owner.bearer)).status).toBe(201);
    const stranger = await createAccount(app);
    expect(await meCss(owner.cookie)).toContain('[data-role-color="role-color-2ecc71"] { color: light-dark(');
    expect(await meCss(stranger.cookie)).not.toContain("role-color-2ecc71");
  });

  test("text on the accent is whichever of black and white contrasts more", () => {
    expect(textOnAccent("#5865f2")).toBe("#ffffff");
    expect(textOnAccent("#ffffff")).toBe("#000000");
    expect(textOnAccent("#0a5c36")).toBe("#ffffff");
  });
});
