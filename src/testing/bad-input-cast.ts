// The cast of the bad-input sweep (src/messages/bad-input-*.test.ts): one server, people whose
// names are payloads, a DM, someone who left; and the helpers the sweep uses. Each test file calls
// setUpCast() in its beforeAll; the exported bindings are live, so they see the cast it made.
import { expect } from "bun:test";
import { connect } from "node:net";
import { api, createAccount, type TestAccount } from "./accounts.ts";
import { createTestApp, type TestApp } from "./app.ts";
import { createGuildFixture, json, type GuildFixture } from "./guilds.ts";
import { writeSetting } from "../instance/service.ts";

export let app: TestApp;
export let g: GuildFixture;
/** A member whose display name and nickname are XSS payloads. */
export let alice: TestAccount;
/** A member whose display name is an htmx payload. */
export let bob: TestAccount;
/** A member of the server who is not in alice and bob's DM. */
export let carol: TestAccount;
/** Not a member of anything. */
export let outsider: TestAccount;
/** Was a member, wrote a message, then left the server. */
export let leaver: TestAccount;
export let dmId: string;
export let leaverMessageId: string;

/** Every payload carries this marker: it must never reach an element name, an on* or hx-* attribute, a URL or text outside hx-ignore. */
export const MARK = "pwn";
export const ALICE_NAME = "<img src=x onerror=pwn()>";
export const ALICE_NICK = '"><svg onload=pwn() hx-get=/pwn>';
export const BOB_NAME = "<hx-partial hx-target=body>pwn";
export const CAROL_NAME = "<script>pwn()</script>";

export type Msg = { id: string; content: string; author: { id: string }; timestamp: string; edited_timestamp: string | null; pinned: boolean; nonce?: string };

export async function setUpCast(): Promise<void> {
  app = await createTestApp();
  g = await createGuildFixture(app, "Bad Input");
  alice = await createAccount(app, { displayName: ALICE_NAME });
  bob = await createAccount(app, { displayName: BOB_NAME });
  carol = await createAccount(app, { displayName: CAROL_NAME });
  outsider = await createAccount(app);
  leaver = await createAccount(app);
  for (const who of [alice, bob, carol, leaver]) await g.join(who);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  // Token clients also get Discord's per-route buckets (bots/rate-limit.ts): this sweep sends far more than a bot would.
  await writeSetting(app.server.queue, "api_rate_limit", { max: 0, windowMs: 5000 });
  expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/@me`, { nick: ALICE_NICK }, alice.bearer)).status).toBe(200);
  dmId = (await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: bob.user.id }, alice.bearer))).id;
  leaverMessageId = (await send(leaver, "I was here")).id;
  expect((await api(app, "DELETE", `/users/@me/guilds/${g.guildId}`, undefined, leaver.bearer)).status).toBe(204);
}

export async function send(who: TestAccount, content: string, extra: Record<string, unknown> = {}, channel = g.generalId): Promise<Msg> {
  const res = await api(app, "POST", `/channels/${channel}/messages`, { content, ...extra }, who.bearer);
  if (res.status !== 200) throw new Error(`send failed: ${res.status} ${await res.text()}`);
  return json<Msg>(res);
}
export const page = (path: string, who: TestAccount, headers: Record<string, string> = {}) => app.fetch(path, { headers: { Cookie: who.cookie, ...headers } });
/** A browser POST from our own origin (what the page's forms and htmx send). */
export const browserPost = (path: string, who: TestAccount, body: string | URLSearchParams = "", headers: Record<string, string> = {}) =>
  app.fetch(path, { method: "POST", headers: { Origin: app.url, Cookie: who.cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers }, body });

export const db = () => app.server.db.reader;
export const countIn = (channelId: string): number => Number(db().query<{ n: number | bigint }, [bigint]>("SELECT count(*) AS n FROM messages WHERE channel_id = ?").get(BigInt(channelId))!.n);
/** What a change would touch: the stored row and its reactions. */
export function snapshot(messageId: string) {
  const row = db().query<Record<string, unknown>, [bigint]>("SELECT id, channel_id, author_id, content, edited_at, pinned, pinned_at FROM messages WHERE id = ?").get(BigInt(messageId));
  const reactions = db().query<Record<string, unknown>, [bigint]>("SELECT emoji, user_id FROM reactions WHERE message_id = ? ORDER BY emoji, user_id").all(BigInt(messageId));
  return JSON.stringify({ row, reactions }, (_, v) => (typeof v === "bigint" ? v.toString() : v));
}
export const errorsLogged = () => app.logs.filter((l) => l.level === "error" || l.msg === "unhandled error").length;

/** One raw HTTP/1.1 request, so the path reaches the server byte for byte (fetch would resolve `%2e%2e` and `..`). */
export function rawRequest(method: string, path: string, headers: Record<string, string>, body = ""): Promise<number> {
  const u = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname, () => {
      const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
      socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    let data = "";
    socket.on("data", (chunk) => (data += chunk.toString("latin1")));
    socket.on("end", () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on("error", reject);
  });
}

