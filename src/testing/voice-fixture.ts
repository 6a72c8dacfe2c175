// A running server with a guild and its voice channel, for the tests that drive werift clients
// through the real signalling: members to join with, clients that close with the fixture.
import { expect } from "bun:test";
import { createSocket } from "node:dgram";
import { createTestApp, type TestApp } from "./app.ts";
import { api, createAccount, type TestAccount } from "./accounts.ts";
import { createGuildFixture, json, type GuildFixture } from "./guilds.ts";
import { VoiceClient } from "./voice-client.ts";
import type { TestVideoCodec } from "./voice-peer.ts";

/** Media on loopback only, no STUN or TURN: nothing leaves the machine. */
export const LOOPBACK_VOICE = { ports: null, listenIp: "127.0.0.1", publicIp: null, stunUrls: [], turnUrl: null, turnSecret: null };

/** A UDP port free right now (the OS's choice), for a server told to use one port. */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export interface VoiceFixture {
  app: TestApp;
  guild: GuildFixture;
  /** The guild's default voice channel. */
  voiceId: string;
  member(): Promise<TestAccount>;
  /** A voice client for the account (closed with the fixture); `video`: its codecs, preferred first. */
  client(acct: TestAccount, video?: TestVideoCodec[]): Promise<VoiceClient>;
  newVoiceChannel(name: string, overwrites?: { deny?: bigint; allow?: bigint }): Promise<string>;
  close(): Promise<void>;
}

export async function openVoiceFixture(voice: typeof LOOPBACK_VOICE | (Omit<typeof LOOPBACK_VOICE, "ports"> & { ports: [number, number] }) = LOOPBACK_VOICE): Promise<VoiceFixture> {
  const app = await createTestApp({ voice });
  const guild = await createGuildFixture(app);
  const channels = await json<{ id: string; type: number }[]>(await api(app, "GET", `/guilds/${guild.guildId}/channels`, undefined, guild.owner.bearer));
  const clients: VoiceClient[] = [];
  return {
    app,
    guild,
    voiceId: channels.find((c) => c.type === 2)!.id,
    async member() {
      const acct = await createAccount(app);
      await guild.join(acct);
      return acct;
    },
    async client(acct, video) {
      const c = await VoiceClient.open(app, acct, video);
      clients.push(c);
      return c;
    },
    async newVoiceChannel(name, overwrites = {}) {
      const ch = await json<{ id: string }>(await api(app, "POST", `/guilds/${guild.guildId}/channels`, { name, type: 2 }, guild.owner.bearer));
      if (overwrites.deny || overwrites.allow) {
        const body = { type: 0, allow: String(overwrites.allow ?? 0n), deny: String(overwrites.deny ?? 0n) };
        expect((await api(app, "PUT", `/channels/${ch.id}/permissions/${guild.guildId}`, body, guild.owner.bearer)).status).toBe(204);
      }
      return ch.id;
    },
    async close() {
      for (const c of clients) await c.close().catch(() => {});
      await app.close();
    },
  };
}
