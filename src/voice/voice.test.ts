import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../testing/app.ts";
import { api, createAccount } from "../testing/accounts.ts";
import { json, type GuildFixture } from "../testing/guilds.ts";
import { until, type VoiceClient } from "../testing/voice-client.ts";
import { openVoiceFixture, type VoiceFixture } from "../testing/voice-fixture.ts";
import { Permission } from "../permissions/permissions.ts";
import { voiceOf } from "./service.ts";

let f: VoiceFixture;
let app: TestApp;
let g: GuildFixture;
let voiceId: string;

beforeAll(async () => {
  f = await openVoiceFixture();
  ({ app, guild: g, voiceId } = f);
});
afterAll(async () => {
  await f.close();
});

const member = () => f.member();
const client = (acct: Awaited<ReturnType<VoiceFixture["member"]>>) => f.client(acct);
const newVoiceChannel = (name: string, overwrites?: { deny?: bigint; allow?: bigint }) => f.newVoiceChannel(name, overwrites);

/** Every client sends `n` loud mic packets, paced like 20 ms Opus frames but faster. */
async function talk(senders: VoiceClient[], n = 40): Promise<void> {
  for (let i = 0; i < n; i++) {
    for (const s of senders) s.peer.send("mic");
    await Bun.sleep(4);
  }
  await Bun.sleep(400);
}

/** A JSON gateway client, identified with `token`; `events` collects its dispatches. */
async function identify(token: string): Promise<{ gw: WebSocket; events: { t: string; d: Record<string, unknown> }[] }> {
  const gw = new WebSocket(`${app.url.replace("http", "ws")}/gateway?v=10&encoding=json`);
  const events: { t: string; d: Record<string, unknown> }[] = [];
  gw.onmessage = (e) => {
    const f = JSON.parse(String(e.data));
    if (f.op === 0) events.push(f);
  };
  await new Promise((r) => (gw.onopen = r));
  gw.send(JSON.stringify({ op: 2, d: { token } }));
  return { gw, events };
}

const connected = (cs: VoiceClient[]) => until(() => cs.every((c) => c.peer.connected), 10000);
const stats = () => voiceOf(app.server.core).sfu.stats();

describe("voice channels through the real signalling", () => {
  test("three members in a voice channel each receive every other one's audio, complete and in order", async () => {
    const cs = await Promise.all([g.owner, await member(), await member()].map(client));
    for (const c of cs) expect((await c.join(voiceId)).v).toBe("joined");
    await connected(cs);
    // Everyone has a downlink for the two others once the last renegotiation settled.
    await until(() => cs.every((c) => c.peer.pc.getTransceivers().filter((t) => t.direction === "recvonly" || t.direction === "sendonly").length >= 3));
    await Bun.sleep(300);
    await talk(cs);
    for (const c of cs) {
      for (const other of cs.filter((o) => o !== c)) {
        const r = c.peer.count(other.account.user.id);
        expect({ from: other.account.user.username, packets: r.packets, gaps: r.gaps }).toEqual({ from: other.account.user.username, packets: 40, gaps: 0 });
      }
    }
    const s = await stats();
    expect(s.peers).toBe(3);
    // Nothing leaves the machine: the SFU only ever sent to its (loopback) clients.
    expect(s.sentTo).toEqual(["127.0.0.1"]);
    expect(s.socketErrors).toBe(0);
    // Loud audio-level packets made everyone "speaking" on the room roster.
    const roster = cs[0]!.frames.filter((f) => f.v === "room").at(-1) as unknown as { members: { user: string }[] };
    expect(roster.members.map((m) => m.user).sort()).toEqual(cs.map((c) => c.account.user.id).sort());

    // Leaving removes the leaver's track from the others and stops their packets.
    const leaver = cs[2]!;
    leaver.send({ v: "leave" });
    await leaver.waitFor((f) => f.v === "left");
    await until(async () => (await stats()).peers === 2);
    await until(() => cs[0]!.frames.some((f) => f.v === "offer" && !(f.tracks as { user: string }[]).some((t) => t.user === leaver.account.user.id)));
    const before = cs[0]!.peer.count(leaver.account.user.id).packets;
    await talk([leaver], 10);
    expect(cs[0]!.peer.count(leaver.account.user.id).packets).toBe(before);

    // A socket that closes (tab gone) leaves the room at once.
    await cs[1]!.close();
    await until(async () => (await stats()).peers === 1);
    cs[0]!.send({ v: "leave" });
    await until(async () => (await stats()).peers === 0);
  }, 60000);

  test("joining a channel you cannot see, a text channel or a channel without CONNECT is refused", async () => {
    const acct = await member();
    const c = await client(acct);
    const hidden = await newVoiceChannel("hidden", { deny: Permission.VIEW_CHANNEL });
    const noConnect = await newVoiceChannel("no-connect", { deny: Permission.CONNECT });
    expect(await c.join(hidden)).toMatchObject({ v: "error", code: "unknown_channel" });
    expect(await c.join("999999999999999999")).toMatchObject({ v: "error", code: "unknown_channel" });
    expect(await c.join(g.generalId)).toMatchObject({ v: "error", code: "not_voice" });
    expect(await c.join(noConnect)).toMatchObject({ v: "error", code: "forbidden" });
    expect((await stats()).peers).toBe(0);
  }, 20000);

  test("without SPEAK a member only listens: the SFU gives them no microphone uplink", async () => {
    const channel = await newVoiceChannel("listen-only");
    const speaker = await client(await member());
    const listenerAcct = await member();
    // SPEAK denied for this one member only.
    await api(app, "PUT", `/channels/${channel}/permissions/${listenerAcct.user.id}`, { type: 1, allow: "0", deny: String(Permission.SPEAK) }, g.owner.bearer);
    const listener = await client(listenerAcct);
    expect(await speaker.join(channel)).toMatchObject({ v: "joined" });
    expect(await listener.join(channel)).toMatchObject({ v: "joined", grants: { speak: false } });
    await connected([speaker, listener]);
    await until(() => listener.peer.pc.getTransceivers().some((t) => t.direction === "recvonly"));
    expect(listener.peer.uplink.mic).toBeUndefined();
    await talk([speaker, listener], 20);
    expect(listener.peer.count(speaker.account.user.id).packets).toBe(20);
    expect(speaker.peer.count(listenerAcct.user.id).packets).toBe(0);
    speaker.send({ v: "leave" });
    listener.send({ v: "leave" });
    await until(async () => (await stats()).peers === 0);
  }, 30000);

  test("server mute is enforced by the SFU and needs MUTE_MEMBERS; USE_VAD-less members are heard only while push-to-talk is held", async () => {
    const channel = await newVoiceChannel("moderated");
    const modAcct = g.owner;
    const talkerAcct = await member();
    // No voice activity for this member: push-to-talk only.
    await api(app, "PUT", `/channels/${channel}/permissions/${talkerAcct.user.id}`, { type: 1, allow: "0", deny: String(Permission.USE_VAD) }, g.owner.bearer);
    const mod = await client(modAcct);
    const talker = await client(talkerAcct);
    await mod.join(channel);
    await talker.join(channel);
    await connected([mod, talker]);
    await until(() => mod.peer.pc.getTransceivers().some((t) => t.direction === "recvonly"));
    await Bun.sleep(200);
    const heard = () => mod.peer.count(talkerAcct.user.id).packets;
    await talk([talker], 10);
    expect(heard()).toBe(0);
    talker.send({ v: "ptt", on: true });
    await Bun.sleep(100);
    await talk([talker], 10);
    expect(heard()).toBe(10);
    // A member cannot server-mute (no MUTE_MEMBERS); the owner can, and packets stop at the SFU.
    talker.send({ v: "mod", user: modAcct.user.id, mute: true });
    expect(await talker.waitFor((f) => f.v === "error" && f.op === "mod")).toMatchObject({ code: "forbidden" });
    mod.send({ v: "mod", user: talkerAcct.user.id, mute: true });
    await mod.waitFor((f) => f.v === "room" && (f.members as { user: string; muted: boolean }[]).some((m) => m.user === talkerAcct.user.id && m.muted));
    const gatedBefore = (await stats()).gated;
    await talk([talker], 10);
    expect(heard()).toBe(10);
    expect((await stats()).gated).toBeGreaterThanOrEqual(gatedBefore + 10);
    // Disconnect by a moderator (MOVE_MEMBERS).
    mod.send({ v: "mod", user: talkerAcct.user.id, channel: null });
    expect(await talker.waitFor((f) => f.v === "left")).toMatchObject({ reason: "disconnected by a moderator" });
    mod.send({ v: "leave" });
    await until(async () => (await stats()).peers === 0);
  }, 30000);

  test("a member kicked from the server is dropped from voice at once, and a full channel refuses one more", async () => {
    const channel = await newVoiceChannel("small");
    expect((await api(app, "PATCH", `/channels/${channel}`, { user_limit: 1 }, g.owner.bearer)).status).toBe(200);
    expect((await api(app, "PATCH", `/channels/${g.generalId}`, { user_limit: 1 }, g.owner.bearer)).status).toBe(400);
    const a = await member();
    const b = await member();
    const ca = await client(a);
    const cb = await client(b);
    expect(await ca.join(channel)).toMatchObject({ v: "joined" });
    expect(await cb.join(channel)).toMatchObject({ v: "error", code: "full" });
    const kick = await api(app, "DELETE", `/guilds/${g.guildId}/members/${a.user.id}`, undefined, g.owner.bearer);
    expect(kick.status).toBe(204);
    expect(await ca.waitFor((f) => f.v === "left")).toMatchObject({ reason: "access changed" });
    await until(async () => (await stats()).peers === 0);
  }, 20000);

  test("malformed frames, unknown ops and a malformed SDP answer get an error frame and break nothing", async () => {
    const c = await client(await member());
    c.ws.send("not json");
    expect(await c.waitFor((f) => f.v === "error")).toMatchObject({ code: "bad_request" });
    c.frames.length = 0;
    c.send({ v: "teleport" });
    expect(await c.waitFor((f) => f.v === "error")).toMatchObject({ op: "teleport", code: "bad_request" });
    c.frames.length = 0;
    c.send({ v: "answer", sdp: "v=0 nonsense that is not an sdp" });
    expect(await c.waitFor((f) => f.v === "error")).toMatchObject({ code: "not_in_voice" });
    c.answering = false;
    await c.join(voiceId);
    await c.waitFor((f) => f.v === "offer");
    c.frames.length = 0;
    c.send({ v: "answer", sdp: "v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\nm=audio 9 nonsense\r\n" });
    expect(await c.waitFor((f) => f.v === "error" && f.op === "answer")).toMatchObject({ code: "bad_request" });
    c.send({ v: "leave" });
    await until(async () => (await stats()).peers === 0);
  }, 20000);

  test("a camera is forwarded as VP8 to the others, and their keyframe requests reach the publisher", async () => {
    const channel = await newVoiceChannel("video");
    const a = await client(await member());
    const b = await client(await member());
    await a.join(channel);
    await b.join(channel);
    await connected([a, b]);
    let plis = 0;
    a.send({ v: "publish", source: "camera", on: true });
    await until(() => Boolean(a.peer.uplink.camera));
    const up = a.peer.pc.getTransceivers().find((t) => t.mid === a.peer.uplink.camera)!;
    up.sender.onPictureLossIndication.subscribe(() => plis++);
    // werift (the test client) routes an incoming PLI by the sender SSRC first, which is the
    // SFU's own SSRC on this m-line: it lands on the receiver side of the same transceiver.
    up.receiver.onRtcp.subscribe((p) => {
      if (p.type === 206 && (p as { feedback?: { count?: number } }).feedback?.count === 1) plis++;
    });
    await until(() => b.frames.some((f) => f.v === "offer" && (f.tracks as { source: string }[]).some((t) => t.source === "camera")));
    await Bun.sleep(500);
    for (let i = 0; i < 30; i++) {
      a.peer.send("camera");
      await Bun.sleep(5);
    }
    await until(() => b.peer.count(a.account.user.id, "camera").packets === 30);
    expect(b.peer.count(a.account.user.id, "camera").gaps).toBe(0);
    // The viewer asks for a keyframe (PLI on its downlink): the SFU asks the publisher.
    await Bun.sleep(600);
    plis = 0;
    const down = b.peer.pc.getTransceivers().find((t) => t.kind === "video" && t.receiver.tracks.length > 0)!;
    await down.receiver.sendRtcpPLI(down.receiver.tracks[0]!.ssrc!);
    await until(() => plis > 0, 3000);
    // The viewer's tile out of sight (0 x 0): nothing of that camera is sent to it; shown again,
    // it flows from the next keyframe (every synthetic packet is one). A malformed size is refused.
    const tile = (width: number, height: number) => b.send({ v: "view", tiles: [{ user: a.account.user.id, source: "camera", width, height }] });
    tile(0, 0);
    await Bun.sleep(300);
    const hidden = b.peer.count(a.account.user.id, "camera").packets;
    for (let i = 0; i < 10; i++) a.peer.send("camera");
    await Bun.sleep(500);
    expect(b.peer.count(a.account.user.id, "camera").packets).toBe(hidden);
    tile(320, 180);
    await Bun.sleep(300);
    for (let i = 0; i < 10; i++) {
      a.peer.send("camera");
      await Bun.sleep(5);
    }
    await until(() => b.peer.count(a.account.user.id, "camera").packets === hidden + 10);
    // Sequence numbers run on over the pause: the viewer sees no gap.
    expect(b.peer.count(a.account.user.id, "camera").gaps).toBe(0);
    b.send({ v: "view", tiles: [{ user: a.account.user.id, source: "camera", width: -1, height: 180 }] });
    expect(await b.waitFor((f) => f.v === "error" && f.op === "view")).toMatchObject({ code: "bad_request" });
    // A member without STREAM may not publish video.
    const c = await client(await member());
    const noStream = await newVoiceChannel("no-stream", { deny: Permission.STREAM });
    await c.join(noStream);
    c.send({ v: "publish", source: "screen", on: true });
    expect(await c.waitFor((f) => f.v === "error" && f.op === "publish")).toMatchObject({ code: "forbidden" });
    for (const x of [a, b, c]) x.send({ v: "leave" });
    await until(async () => (await stats()).peers === 0);
  }, 30000);

  test("a screen share's sound reaches the others, but not one who deafened", async () => {
    const channel = await newVoiceChannel("screen-sound");
    const a = await client(await member());
    const b = await client(await member());
    await a.join(channel);
    await b.join(channel);
    await connected([a, b]);
    a.send({ v: "publish", source: "screen", on: true });
    a.send({ v: "publish", source: "screenAudio", on: true });
    await until(() => Boolean(a.peer.uplink.screenAudio));
    await until(() => b.frames.some((f) => f.v === "offer" && (f.tracks as { source: string }[]).some((t) => t.source === "screenAudio")));
    await Bun.sleep(500);
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) {
        a.peer.send("screenAudio");
        await Bun.sleep(4);
      }
      await Bun.sleep(400);
    };
    await send(20);
    expect(b.peer.count(a.account.user.id, "screenAudio").packets).toBe(20);
    // The LIVE marker is on the roster; deafened, b hears no more of it.
    const roster = b.frames.filter((f) => f.v === "room").at(-1)!.members as { user: string; stream: boolean }[];
    expect(roster.find((m) => m.user === a.account.user.id)?.stream).toBe(true);
    b.send({ v: "state", selfDeaf: true });
    await b.waitFor((f) => f.v === "room" && (f.members as { user: string; deafened: boolean }[]).some((m) => m.user === b.account.user.id && m.deafened));
    await send(10);
    expect(b.peer.count(a.account.user.id, "screenAudio").packets).toBe(20);
    for (const x of [a, b]) x.send({ v: "leave" });
    await until(async () => (await stats()).peers === 0);
  }, 30000);

  test("a participant whose connection dies without a word is removed within 10 s, and the SFU survives the ICMP errors", async () => {
    const channel = await newVoiceChannel("flaky");
    const a = await client(await member());
    const b = await client(await member());
    await a.join(channel);
    await b.join(channel);
    await connected([a, b]);
    await Bun.sleep(300);
    // b's machine vanishes: its peer connection stops (its UDP ports close), its socket stays open.
    const vanished = Date.now();
    await b.peer.pc.close();
    for (let i = 0; i < 50; i++) {
      a.peer.send("mic");
      await Bun.sleep(20);
    }
    expect(await b.waitFor((f) => f.v === "left", 12000)).toMatchObject({ v: "left" });
    expect(Date.now() - vanished).toBeLessThan(10000);
    const s = await stats();
    expect(s.peers).toBe(1);
    // The server is still here and still forwarding.
    expect((await app.fetch("/healthz")).status).toBe(200);
    a.send({ v: "leave" });
    await until(async () => (await stats()).peers === 0);
  }, 30000);

  test("JSON gateway clients get VOICE_STATE_UPDATE for joins, switches and leaves, and op 4 leaves a call", async () => {
    const acct = await member();
    const { gw, events } = await identify(acct.token);
    await until(() => events.some((e) => e.t === "READY"));
    const c = await client(acct);
    await c.join(voiceId);
    await until(() => events.some((e) => e.t === "VOICE_STATE_UPDATE" && e.d.channel_id === voiceId));
    c.send({ v: "state", selfMute: true });
    await until(() => events.some((e) => e.t === "VOICE_STATE_UPDATE" && e.d.self_mute === true));
    expect(events.find((e) => e.t === "VOICE_STATE_UPDATE")!.d).toMatchObject({ guild_id: g.guildId, user_id: acct.user.id, mute: false, deaf: false, self_video: false });
    gw.send(JSON.stringify({ op: 4, d: { guild_id: g.guildId, channel_id: null, self_mute: false, self_deaf: false } }));
    await c.waitFor((f) => f.v === "left");
    await until(() => events.some((e) => e.t === "VOICE_STATE_UPDATE" && e.d.channel_id === null));
    // A malformed op 4 is a decode error, as in Discord.
    const closed = new Promise<number>((r) => (gw.onclose = (e) => r(e.code)));
    gw.send(JSON.stringify({ op: 4, d: { channel_id: 5 } }));
    expect(await closed).toBe(4002);
  }, 20000);

  test("a JSON client identifying during a call gets the server's voice_states in GUILD_CREATE, and /metrics counts the room", async () => {
    const acct = await member();
    const c = await client(acct);
    await c.join(voiceId);
    const { gw, events } = await identify(g.owner.token);
    await until(() => events.some((e) => e.t === "GUILD_CREATE" && e.d.id === g.guildId));
    const created = events.find((e) => e.t === "GUILD_CREATE" && e.d.id === g.guildId)!.d as { voice_states: Record<string, unknown>[] };
    expect(created.voice_states).toEqual([expect.objectContaining({ guild_id: g.guildId, channel_id: voiceId, user_id: acct.user.id, self_mute: false })]);
    gw.close();
    expect(await (await app.fetch("/metrics")).text()).toMatch(/^pokynano_voice_rooms 1$/m);
    c.send({ v: "leave" });
    await until(async () => (await stats()).peers === 0);
    expect(await (await app.fetch("/metrics")).text()).toMatch(/^pokynano_voice_rooms 0$/m);
  }, 20000);

  test("the sidebar of a server page lists who is in its voice channels", async () => {
    const acct = await member();
    const c = await client(acct);
    await c.join(voiceId);
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: g.owner.cookie } })).text();
    const list = page.slice(page.indexOf(`id="voice-members-${voiceId}"`));
    expect(list.slice(0, list.indexOf("</ul>"))).toContain(`data-user-id="${acct.user.id}"`);
    c.send({ v: "leave" });
    await until(async () => (await stats()).peers === 0);
  }, 20000);

  test("instance admins read the SFU's figures at /api/v10/voice/stats; others may not", async () => {
    const admin = await createAccount(app, { admin: true });
    const c = await client(g.owner);
    await c.join(voiceId);
    expect((await api(app, "GET", "/voice/stats", undefined, g.owner.bearer)).status).toBe(403);
    const body = await json<{ rooms: number; participants: number; sfu: { peers: number; udpSockets: number }; main_loop_max_block_ms: number }>(await api(app, "GET", "/voice/stats", undefined, admin.bearer));
    expect(body).toMatchObject({ rooms: 1, participants: 1, sfu: { peers: 1 } });
    expect(body.sfu.udpSockets).toBeGreaterThan(0);
    expect(typeof body.main_loop_max_block_ms).toBe("number");
    c.send({ v: "leave" });
    await until(async () => (await stats()).peers === 0);
  }, 20000);

  test("500 join/leave cycles leave no peer connection and no UDP socket behind", async () => {
    const base = await stats();
    const acct = await member();
    let c = await client(acct);
    c.answering = false;
    for (let i = 0; i < 500; i++) {
      // A fresh tab every 50 cycles: one socket may send 200 frames per 10 s.
      if (i % 50 === 49) {
        c.ws.close();
        c = await client(acct);
        c.answering = false;
      }
      c.frames.length = 0;
      c.send({ v: "join", channel: voiceId });
      await c.waitFor((f) => f.v === "offer");
      c.send({ v: "leave" });
      await c.waitFor((f) => f.v === "left");
    }
    await until(async () => {
      const s = await stats();
      return s.peers === 0 && s.peerConnections === base.peerConnections && s.udpSockets === base.udpSockets;
    }, 15000);
    const after = await stats();
    expect({ pcs: after.peerConnections, sockets: after.udpSockets }).toEqual({ pcs: base.peerConnections, sockets: base.udpSockets });
  }, 120000);
});
