// Two Chromiums with fake microphones and cameras, signed in as a guild's owner and a member
// (Bea), and the guild's voice channel: the setup of the browser voice tests.
import type { Page } from "playwright-core";
import { api, createAccount, type TestAccount } from "../../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../../src/testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../../../src/testing/guilds.ts";
import { launchBrowser, MEDIA_FLAGS, type Browser } from "./browser.ts";

/** Every interface (Chromium does not use loopback candidates), ports from the OS, no STUN or TURN. */
const ANY_INTERFACE = { ports: null as [number, number] | null, listenIp: null, publicIp: null, stunUrls: [], turnUrl: null, turnSecret: null };

export interface VoiceRoom {
  app: TestApp;
  g: GuildFixture;
  bea: TestAccount;
  voiceId: string;
  /** The owner's browser, then Bea's. */
  browsers: [Browser, Browser];
  close(): Promise<void>;
}

export async function openVoiceRoom(name: string, options: { ports?: [number, number] } = {}): Promise<VoiceRoom> {
  const app = await createTestApp({ voice: { ...ANY_INTERFACE, ports: options.ports ?? null } });
  const g = await createGuildFixture(app, name);
  const bea = await createAccount(app, { username: `bea_${name.toLowerCase().replace(/\W/g, "")}`.slice(0, 30), displayName: "Bea" });
  await g.join(bea);
  const channels = await json<{ id: string; type: number }[]>(await api(app, "GET", `/guilds/${g.guildId}/channels`, undefined, g.owner.bearer));
  const browsers = (await Promise.all([launchBrowser(MEDIA_FLAGS), launchBrowser(MEDIA_FLAGS)])) as [Browser, Browser];
  await browsers[0].context.addCookies([{ name: "pokynano_session", value: g.owner.token, url: app.url }]);
  await browsers[1].context.addCookies([{ name: "pokynano_session", value: bea.token, url: app.url }]);
  return {
    app,
    g,
    bea,
    voiceId: channels.find((c) => c.type === 2)!.id,
    browsers,
    async close() {
      for (const b of browsers) await b.close();
      await app.close();
    },
  };
}

/** The page's call state (connected once media can flow). */
export const connectionState = (page: Page) => page.evaluate(() => (window as unknown as { pokynanoVoice: { pc: RTCPeerConnection | null } }).pokynanoVoice.pc?.connectionState ?? "none");
