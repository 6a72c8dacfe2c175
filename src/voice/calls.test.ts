import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createGuildFixture, json } from "../testing/guilds.ts";
import { until, VoiceClient } from "../testing/voice-client.ts";

let app: TestApp;
let ann: TestAccount;
let bob: TestAccount;
let dmId: string;

beforeAll(async () => {
  app = await createTestApp({ voice: { ports: null, listenIp: "127.0.0.1", publicIp: null, stunUrls: [], turnUrl: null, turnSecret: null } });
  // People may open a DM with someone they share a server with.
  const g = await createGuildFixture(app);
  ann = g.owner;
  bob = await createAccount(app, { displayName: "Bob" });
  await g.join(bob);
  const res = await api(app, "POST", "/users/@me/channels", { recipient_id: bob.user.id }, ann.bearer);
  if (res.status !== 200) throw new Error(`opening the DM: ${res.status} ${(await res.text()).slice(0, 300)}`);
  dmId = ((await res.json()) as { id: string }).id;
});
afterAll(() => app.close());

/** A browser tab of `acct` (its live socket), collecting the fragments it is sent. */
async function tab(acct: TestAccount): Promise<{ frames: string[]; ws: WebSocket }> {
  const ws = new WebSocket(`${app.url.replace("http", "ws")}/ws`, { headers: { Cookie: acct.cookie, Origin: app.url } } as never);
  const frames: string[] = [];
  ws.onmessage = (e) => frames.push(String(e.data));
  await new Promise((r) => (ws.onopen = r));
  return { frames, ws };
}

test("a DM call rings the other person on every page, who can join or decline, and the caller hears of a decline", async () => {
  const bobTab = await tab(bob);
  const caller = await VoiceClient.open(app, ann);
  expect(await caller.join(dmId)).toMatchObject({ v: "joined", channel: dmId, guild: null });
  await until(() => bobTab.frames.some((f) => f.includes("call-ring") && f.includes(`${ann.user.displayName ?? ann.user.username} is calling you`)));
  const ring = bobTab.frames.find((f) => f.includes(`${ann.user.displayName ?? ann.user.username} is calling you`))!;
  expect(ring).toContain(`/channels/@me/${dmId}?call=1&amp;join=1`);
  expect(ring).toContain(`/calls/${dmId}/decline`);

  // The DM page offers the call; with ?call it carries the call panel.
  const page = await (await app.fetch(`/channels/@me/${dmId}?call=1`, { headers: { Cookie: bob.cookie } })).text();
  expect(page).toContain('id="voice-panel"');
  expect(page).toContain("js/voice.js");

  const declined = await postForm(app, `/calls/${dmId}/decline`, {}, bob.cookie);
  expect(declined.status).toBe(303);
  expect(await caller.waitFor((f) => f.v === "declined")).toMatchObject({ user: bob.user.id, name: "Bob" });
  // The banner is cleared on Bob's pages.
  expect(bobTab.frames.at(-1)).toBe('<hx-partial hx-target="#call-ring" hx-swap="innerHTML"></hx-partial>');

  // Someone outside the DM cannot decline (or see) its call.
  const eve = await createAccount(app);
  expect((await postForm(app, `/calls/${dmId}/decline`, {}, eve.cookie)).status).toBe(404);
  const intruder = await VoiceClient.open(app, eve);
  expect(await intruder.join(dmId)).toMatchObject({ v: "error", code: "unknown_channel" });

  caller.send({ v: "leave" });
  await caller.waitFor((f) => f.v === "left");
  // Once Bob blocks Ann, neither can start a call in their DM.
  expect((await api(app, "PUT", `/users/@me/blocks/${ann.user.id}`, undefined, bob.bearer)).status).toBe(204);
  expect(await caller.join(dmId)).toMatchObject({ v: "error", code: "forbidden" });
  bobTab.ws.close();
  await caller.close();
  await intruder.close();
}, 20000);
