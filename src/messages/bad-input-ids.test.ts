// The bad-input list of ../shared/SECURITY.md swept across every message route, part ids:
// Ids that are not ids, traversal, and other people's messages on every message route.
// The cast and helpers are in src/testing/bad-input-cast.ts, the HTML auditor in src/testing/html-audit.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, type TestAccount } from "../testing/accounts.ts";
import { json } from "../testing/guilds.ts";
import { app, alice, bob, browserPost, carol, countIn, dmId, errorsLogged, g, leaver, leaverMessageId, outsider, page, rawRequest, send, setUpCast, snapshot } from "../testing/bad-input-cast.ts";
import { audit } from "../testing/html-audit.ts";

beforeAll(setUpCast);
afterAll(() => app.close());

describe("ids that are not ids", () => {
  // Each slot of each route gets these in place of a channel or message id. (A bare `..` or `%2e%2e`
  // segment is resolved like a browser resolves it, into another route: see the traversal test.)
  const BAD_IDS = ["abc", "1".repeat(21), "9".repeat(20), "9223372036854775808", "9999999999999999999", "18446744073709551615", "-1", "-9223372036854775808", "0x10", "1e3", "1.5", "%20" + "1", "1%20", "..%2f..%2f", "%2e%2e%2f", "%2e%2e%2f1", "..%5c..%5c", "%00", "1%00", "%E2%80%AE1", "%EF%BC%91", "null", "undefined", "@me"];

  function routes(c: string, m: string): [string, string, unknown?][] {
    return [
      ["GET", `/api/v10/channels/${c}/messages`],
      ["GET", `/api/v10/channels/${g.generalId}/messages?around=${m}`],
      ["GET", `/api/v10/channels/${g.generalId}/messages?before=${m}`],
      ["GET", `/api/v10/channels/${g.generalId}/messages?after=${m}`],
      ["POST", `/api/v10/channels/${c}/messages`, { content: "into a bad id" }],
      ["POST", `/api/v10/channels/${g.generalId}/messages`, { content: "reply to a bad id", message_reference: { message_id: m } }],
      ["GET", `/api/v10/channels/${c}/messages/${m}`],
      ["PATCH", `/api/v10/channels/${c}/messages/${m}`, { content: "edited through a bad id" }],
      ["DELETE", `/api/v10/channels/${c}/messages/${m}`],
      ["PUT", `/api/v10/channels/${c}/messages/${m}/reactions/%F0%9F%91%8D/@me`],
      ["DELETE", `/api/v10/channels/${c}/messages/${m}/reactions/%F0%9F%91%8D/@me`],
      ["GET", `/api/v10/channels/${c}/messages/${m}/reactions/%F0%9F%91%8D`],
      ["PUT", `/api/v10/channels/${c}/pins/${m}`],
      ["DELETE", `/api/v10/channels/${c}/pins/${m}`],
      ["PUT", `/api/v10/channels/${c}/messages/pins/${m}`],
      ["DELETE", `/api/v10/channels/${c}/messages/pins/${m}`],
      ["GET", `/api/v10/channels/${c}/pins`],
      ["GET", `/api/v10/channels/${c}/messages/pins`],
      ["POST", `/channels/${c}/messages`, "content=into+a+bad+id"],
      ["POST", `/channels/${g.generalId}/messages`, `content=reply+to+a+bad+id&reply_to=${m}`],
      ["GET", `/channels/${c}/messages/${m}/edit`],
      ["POST", `/channels/${c}/messages/${m}/edit`, "content=edited+through+a+bad+id"],
      ["POST", `/channels/${c}/messages/${m}/delete`, ""],
      ["POST", `/channels/${c}/messages/${m}/pin`, ""],
      ["POST", `/channels/${c}/messages/${m}/reactions`, "emoji=%F0%9F%91%8D"],
      ["POST", `/channels/${c}/ack`, `message_id=${m}`],
      ["GET", `/channels/${c}/history`],
      ["GET", `/channels/${c}/history?before=${m}`],
      ["GET", `/channels/${c}/history?after=${m}`],
      ["GET", `/channels/${c}/pins`],
      ["GET", `/channels/${c}/mentionables?kind=user&q=a`],
      ["GET", `/channels/${g.guildId}/${c}?around=${m}`],
    ];
  }

  // Sent raw: fetch would resolve `%2e%2e` into `..` and turn .../messages/%2e%2e into /channels/{id} itself.
  function call(method: string, path: string, body?: unknown): Promise<number> {
    const isApi = path.startsWith("/api/");
    const headers: Record<string, string> = isApi ? { ...g.owner.bearer } : { Cookie: g.owner.cookie, Origin: app.url, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = isApi ? "application/json" : "application/x-www-form-urlencoded";
    return rawRequest(method, path, headers, body === undefined ? "" : isApi ? JSON.stringify(body) : String(body));
  }

  test("a bad channel or message id on any route is a 400 or 404 (never a 500) and changes nothing", async () => {
    const m = await send(g.owner, "the target of bad ids");
    const before = snapshot(m.id);
    const count = countIn(g.generalId);
    const errors = errorsLogged();
    const seen: string[] = [];
    for (const bad of BAD_IDS) {
      for (const [method, path, body] of [...routes(bad, m.id), ...routes(g.generalId, bad)]) {
        if (!path.includes(bad)) continue;
        // Query cursors and the page's ?around= are not path segments: a bad one falls back to the present (200) or is a 400.
        const inQuery = path.indexOf(bad) > path.indexOf("?") && path.includes("?");
        const status = await call(method, path, body);
        const ok = inQuery ? [200, 400, 404].includes(status) : [400, 404].includes(status);
        if (!ok) seen.push(`${method} ${path} -> ${status}`);
      }
    }
    expect(seen).toEqual([]);
    expect(errorsLogged()).toBe(errors);
    expect(snapshot(m.id)).toBe(before);
    expect(countIn(g.generalId)).toBe(count);
  });

  test("raw traversal and NUL bytes in the path never reach another channel or message", async () => {
    const secret = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "staff-only", type: 0 }, g.owner.bearer));
    await api(app, "PUT", `/channels/${secret.id}/permissions/${g.guildId}`, { type: 0, deny: "1024" }, g.owner.bearer);
    const hidden = await send(g.owner, "staff secret", {}, secret.id);
    const mine = await send(alice, "alice's own");
    const headers = { Authorization: alice.bearer.Authorization };
    const paths = [
      // Dot segments are resolved as a browser would: they land on the hidden channel, which stays hidden.
      `/api/v10/channels/${g.generalId}/../${secret.id}/messages`,
      `/api/v10/channels/${g.generalId}/messages/../../${secret.id}/messages/${hidden.id}`,
      `/api/v10/channels/${g.generalId}/messages/${mine.id}/../${hidden.id}`,
      `/api/v10/channels/%2e%2e/${secret.id}/messages`,
      `/api/v10/channels/${g.generalId}/messages/..%2f..%2f${secret.id}%2fmessages%2f${hidden.id}`,
      `/api/v10/channels/${g.generalId}/messages/%2e%2e%2f${hidden.id}`,
      `/api/v10/channels/${g.generalId}/messages/..\\${hidden.id}`,
      `/api/v10/channels/${g.generalId}/messages/${hidden.id}%00`,
      `/api/v10/channels/${secret.id}%00${g.generalId}/messages`,
      `/channels/${g.generalId}/../${secret.id}/history`,
      `/channels/%2e%2e/${secret.id}/pins`,
    ];
    for (const path of paths) {
      const status = await rawRequest("GET", path, path.startsWith("/api/") ? headers : { Cookie: alice.cookie });
      expect({ path, refused: [400, 404].includes(status) }).toEqual({ path, refused: true });
    }
    // A dot segment resolves to the route it names, and that route is authorized as itself: a
    // member cannot delete the channel through .../messages/%2e%2e.
    for (const path of [`/api/v10/channels/${g.generalId}/messages/%2e%2e`, `/api/v10/channels/${g.generalId}/messages/..`, `/api/v10/channels/${g.generalId}/messages/${mine.id}/%2e%2e/%2e%2e`]) {
      const status = await rawRequest("DELETE", path, headers);
      expect({ path, refused: [403, 404].includes(status) }).toEqual({ path, refused: true });
    }
    expect((await api(app, "GET", `/channels/${g.generalId}`, undefined, alice.bearer)).status).toBe(200);
    // A raw NUL byte in the request line is refused by the HTTP layer.
    expect(await rawRequest("GET", `/api/v10/channels/${g.generalId}/messages/${mine.id}\u0000`, headers)).toBeGreaterThanOrEqual(400);
    expect(snapshot(hidden.id)).toContain("staff secret");
  });

  test("a message id of another channel cannot be read, edited, deleted, pinned or reacted to through this channel", async () => {
    const other = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "elsewhere", type: 0 }, g.owner.bearer));
    const there = await send(g.owner, "lives elsewhere", {}, other.id);
    const before = snapshot(there.id);
    const attempts: [string, string, unknown?][] = [
      ["GET", `/api/v10/channels/${g.generalId}/messages/${there.id}`],
      ["PATCH", `/api/v10/channels/${g.generalId}/messages/${there.id}`, { content: "moved?" }],
      ["DELETE", `/api/v10/channels/${g.generalId}/messages/${there.id}`],
      ["PUT", `/api/v10/channels/${g.generalId}/pins/${there.id}`],
      ["PUT", `/api/v10/channels/${g.generalId}/messages/${there.id}/reactions/%F0%9F%91%8D/@me`],
    ];
    for (const [method, path, body] of attempts) {
      // The owner may do all of this in either channel: only the pairing of ids is wrong.
      const res = await app.fetch(path, { method, headers: { ...g.owner.bearer, ...(body ? { "Content-Type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    expect((await page(`/channels/${g.generalId}/messages/${there.id}/edit`, g.owner)).status).toBe(404);
    for (const action of ["edit", "delete", "pin", "reactions"]) {
      const res = await browserPost(`/channels/${g.generalId}/messages/${there.id}/${action}`, g.owner, action === "edit" ? "content=moved" : action === "reactions" ? "emoji=%F0%9F%91%8D" : "");
      expect({ action, status: res.status }).toEqual({ action, status: 404 });
    }
    expect(snapshot(there.id)).toBe(before);
  });
});

describe("other people's messages", () => {
  test("a member cannot edit, delete or pin someone else's message, through the API or the page; nothing changes", async () => {
    const m = await send(alice, "alice's words");
    const before = snapshot(m.id);
    const api403: [string, string, unknown?][] = [
      ["PATCH", `/channels/${g.generalId}/messages/${m.id}`, { content: "bob was here" }],
      ["DELETE", `/channels/${g.generalId}/messages/${m.id}`],
      ["PUT", `/channels/${g.generalId}/pins/${m.id}`],
      ["PUT", `/channels/${g.generalId}/messages/pins/${m.id}`],
      ["DELETE", `/channels/${g.generalId}/pins/${m.id}`],
    ];
    for (const [method, path, body] of api403) expect({ method, path, status: (await api(app, method, path, body, bob.bearer)).status }).toEqual({ method, path, status: 403 });
    // The owner may delete (MANAGE_MESSAGES) but never edit another's words.
    expect((await api(app, "PATCH", `/channels/${g.generalId}/messages/${m.id}`, { content: "owner rewrites" }, g.owner.bearer)).status).toBe(403);
    expect((await page(`/channels/${g.generalId}/messages/${m.id}/edit`, bob)).status).toBe(403);
    for (const action of ["edit", "delete", "pin"]) {
      const res = await browserPost(`/channels/${g.generalId}/messages/${m.id}/${action}`, bob, action === "edit" ? "content=bob+was+here" : "");
      expect({ action, status: res.status }).toEqual({ action, status: 403 });
    }
    expect((await browserPost(`/channels/${g.generalId}/messages/${m.id}/edit`, g.owner, "content=owner+rewrites")).status).toBe(403);
    // Removing "your" reaction only ever removes your own.
    expect((await api(app, "PUT", `/channels/${g.generalId}/messages/${m.id}/reactions/%F0%9F%91%8D/@me`, undefined, alice.bearer)).status).toBe(204);
    const withReaction = snapshot(m.id);
    expect((await api(app, "DELETE", `/channels/${g.generalId}/messages/${m.id}/reactions/%F0%9F%91%8D/@me`, undefined, bob.bearer)).status).toBe(204);
    expect(snapshot(m.id)).toBe(withReaction);
    expect(JSON.parse(withReaction).row).toEqual(JSON.parse(before).row);
  });

  test("someone outside the server, someone who left it and someone outside a DM get 404 on every message route", async () => {
    const inGuild = await send(alice, "guild message");
    const inDm = await send(alice, "dm message", {}, dmId);
    const snapshots = [snapshot(inGuild.id), snapshot(inDm.id), snapshot(leaverMessageId)];
    const counts = [countIn(g.generalId), countIn(dmId)];
    const cases: [string, TestAccount, string, string][] = [
      ["outsider", outsider, g.generalId, inGuild.id],
      ["leaver", leaver, g.generalId, inGuild.id],
      ["leaver, own old message", leaver, g.generalId, leaverMessageId],
      ["not in the DM", carol, dmId, inDm.id],
    ];
    const seen: string[] = [];
    for (const [who, acct, c, m] of cases) {
      const apiCalls: [string, string, unknown?][] = [
        ["GET", `/channels/${c}/messages`],
        ["GET", `/channels/${c}/messages?around=${m}`],
        ["POST", `/channels/${c}/messages`, { content: "intruder" }],
        ["POST", `/channels/${c}/messages`, { content: "intruder reply", message_reference: { message_id: m } }],
        ["GET", `/channels/${c}/messages/${m}`],
        ["PATCH", `/channels/${c}/messages/${m}`, { content: "intruder edit" }],
        ["DELETE", `/channels/${c}/messages/${m}`],
        ["PUT", `/channels/${c}/messages/${m}/reactions/%F0%9F%91%8D/@me`],
        ["DELETE", `/channels/${c}/messages/${m}/reactions/%F0%9F%91%8D/@me`],
        ["GET", `/channels/${c}/messages/${m}/reactions/%F0%9F%91%8D`],
        ["PUT", `/channels/${c}/pins/${m}`],
        ["DELETE", `/channels/${c}/messages/pins/${m}`],
        ["GET", `/channels/${c}/pins`],
        ["GET", `/channels/${c}/messages/pins`],
      ];
      for (const [method, path, body] of apiCalls) {
        const status = (await api(app, method, path, body, acct.bearer)).status;
        if (status !== 404) seen.push(`${who}: ${method} /api/v10${path} -> ${status}`);
      }
      const pageCalls: [string, string, string?][] = [
        ["POST", `/channels/${c}/messages`, "content=intruder"],
        ["GET", `/channels/${c}/messages/${m}/edit`],
        ["POST", `/channels/${c}/messages/${m}/edit`, "content=intruder"],
        ["POST", `/channels/${c}/messages/${m}/delete`, ""],
        ["POST", `/channels/${c}/messages/${m}/pin`, ""],
        ["POST", `/channels/${c}/messages/${m}/reactions`, "emoji=%F0%9F%91%8D"],
        ["POST", `/channels/${c}/ack`, `message_id=${m}`],
        ["GET", `/channels/${c}/history`],
        ["GET", `/channels/${c}/history?before=${m}`],
        ["GET", `/channels/${c}/pins`],
        ["GET", `/channels/${c}/mentionables?kind=user&q=`],
      ];
      for (const [method, path, body] of pageCalls) {
        const res = await app.fetch(path, { method, headers: { Cookie: acct.cookie, Origin: app.url, ...(body !== undefined ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) }, body });
        if (res.status !== 404) seen.push(`${who}: ${method} ${path} -> ${res.status}`);
      }
      // A live subscription to the channel is refused the same way.
      const upgrade = await app.fetch(`/ws?channel=${c}`, { headers: { Cookie: acct.cookie, Origin: app.url, Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" } });
      if (upgrade.status !== 404) seen.push(`${who}: /ws?channel -> ${upgrade.status}`);
    }
    expect(seen).toEqual([]);
    expect([snapshot(inGuild.id), snapshot(inDm.id), snapshot(leaverMessageId)]).toEqual(snapshots);
    expect([countIn(g.generalId), countIn(dmId)]).toEqual(counts);
  });
});
