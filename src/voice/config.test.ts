import { describe, expect, test } from "bun:test";
import { ConfigError, parseCommandLine } from "../config.ts";
import { browserIceServers, turnCredential } from "./turn.ts";
import { createHmac } from "node:crypto";

const voice = (argv: string[], env: Record<string, string> = {}) => parseCommandLine(argv, env).config.voice!;

describe("voice networking options", () => {
  test("the defaults are a documented UDP port range, every interface and no STUN or TURN", () => {
    expect(voice([])).toEqual({ ports: [50000, 50999], listenIp: null, publicIp: null, stunUrls: [], turnUrl: null, turnSecret: null });
  });

  test("flags and environment variables set the port range, addresses, STUN and TURN", () => {
    const v = voice(["--voice-ports", "40000-40100", "--voice-public-ip", "chat.example.org", "--stun-url", "stun:a.example:3478, stun:b.example"], { POKYNANO_VOICE_LISTEN_IP: "10.0.0.5", POKYNANO_TURN_URL: "turn:turn.example.org:3478", POKYNANO_TURN_SECRET: "s3cret" });
    expect(v).toEqual({ ports: [40000, 40100], listenIp: "10.0.0.5", publicIp: "chat.example.org", stunUrls: ["stun:a.example:3478", "stun:b.example"], turnUrl: "turn:turn.example.org:3478", turnSecret: "s3cret" });
    expect(voice(["--voice-ports", "any"]).ports).toBeNull();
    // One port: every call shares it.
    expect(voice(["--voice-ports", "50000"]).ports).toEqual([50000, 50000]);
  });

  test("bad values are refused with the flag's name", () => {
    for (const argv of [["--voice-ports", "500"], ["--voice-ports", "70000"], ["--voice-ports", "50000-50000"], ["--voice-ports", "60000-50000"], ["--voice-ports", "100-200"], ["--voice-listen-ip", "not an ip"], ["--voice-public-ip", "bad_name!"], ["--stun-url", "http://x"], ["--turn-url", "turn:x"], ["--turn-secret", "x"]]) {
      expect(() => voice(argv)).toThrow(ConfigError);
    }
  });

  test("TURN credentials are coturn REST credentials: expiry:user signed with the shared secret", () => {
    const now = Date.UTC(2026, 0, 1);
    const { username, credential } = turnCredential("s3cret", "42", now);
    expect(username).toBe(`${now / 1000 + 6 * 3600}:42`);
    expect(credential).toBe(createHmac("sha1", "s3cret").update(username).digest("base64"));
    const servers = browserIceServers({ ports: null, listenIp: null, publicIp: null, stunUrls: ["stun:a:1"], turnUrl: "turn:t:3478", turnSecret: "s3cret" }, "42");
    expect(servers.map((s) => s.urls)).toEqual([["stun:a:1"], ["turn:t:3478"]]);
    expect(browserIceServers(undefined, "42")).toEqual([]);
  });
});
