// Voice inside the compiled binary: the SFU's Worker entrypoint is bundled (scripts/build.ts),
// werift runs in it, and two werift peers joining through the binary's signalling hear each other.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "../../src/testing/app.ts";
import { until } from "../../src/testing/voice-client.ts";
import { VoicePeer } from "../../src/testing/voice-peer.ts";

const root = resolve(import.meta.dir, "../..");
let work: string;
let binary: string;
let proc: ReturnType<typeof Bun.spawn> | undefined;

beforeAll(() => {
  work = tempDir("pokynano-bin-voice-");
  binary = join(work, "pokynano");
  const build = Bun.spawnSync([process.execPath, join(root, "scripts/build.ts"), "--outfile", binary], { cwd: root, stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`);
}, 120_000);
afterAll(() => {
  proc?.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

async function createUser(dataDir: string, name: string, admin: boolean) {
  const p = Bun.spawn([binary, "admin", "create-user", "--username", name, ...(admin ? ["--admin"] : []), "--password-stdin", "--data-dir", dataDir], { cwd: work, stdin: "pipe", stdout: "ignore", stderr: "pipe" });
  p.stdin.write("a long and unusual passphrase\n");
  p.stdin.end();
  expect(await p.exited).toBe(0);
}

test("two peers in a voice channel of the compiled binary hear each other through its SFU thread", async () => {
  const dataDir = join(work, "data");
  await createUser(dataDir, "owner", true);
  await createUser(dataDir, "guest", false);
  const port = 39_000 + Math.floor(Math.random() * 900);
  proc = Bun.spawn([binary, "--port", String(port), "--host", "127.0.0.1", "--data-dir", dataDir, "--voice-listen-ip", "127.0.0.1", "--voice-ports", "41000-41099"], { cwd: work, stdout: "ignore", stderr: "pipe" });
  const base = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status === 200, 10_000);
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v10${path}`, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return res.json() as Promise<Record<string, unknown> & { id: string }>;
  };
  const login = async (name: string) => ((await (await fetch(`${base}/api/v10/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ login: name, password: "a long and unusual passphrase" }) })).json()) as { token: string }).token;
  const [owner, guest] = [await login("owner"), await login("guest")];
  const guild = await call(owner, "POST", "/guilds", { name: "Binary voice" });
  const channels = (await call(owner, "GET", `/guilds/${guild.id}/channels`)) as unknown as { id: string; type: number }[];
  const text = channels.find((c) => c.type === 0)!.id;
  const voice = channels.find((c) => c.type === 2)!.id;
  const invite = (await call(owner, "POST", `/channels/${text}/invites`, {})) as unknown as { code: string };
  await call(guest, "POST", `/invites/${invite.code}`);

  const peers = await Promise.all(
    [owner, guest].map(async (token) => {
      const peer = new VoicePeer();
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?voice`, { headers: { Cookie: `pokynano_session=${token}`, Origin: base } } as never);
      ws.onmessage = async (e) => {
        const f = JSON.parse(String(e.data));
        if (f.v === "offer") ws.send(JSON.stringify({ v: "answer", sdp: await peer.answer(f) }));
      };
      await new Promise((r) => (ws.onopen = r));
      ws.send(JSON.stringify({ v: "join", channel: voice }));
      return { peer, ws };
    }),
  );
  await until(() => peers.every((p) => p.peer.connected), 15_000);
  await until(() => peers.every((p) => p.peer.pc.getTransceivers().length >= 2), 10_000);
  await Bun.sleep(500);
  for (let i = 0; i < 30; i++) {
    for (const p of peers) p.peer.send("mic");
    await Bun.sleep(5);
  }
  await until(() => peers.every((p) => [...p.peer.received.values()].some((r) => r.packets === 30)), 5_000);
  for (const p of peers) {
    p.ws.close();
    await p.peer.close();
  }
  proc.kill("SIGTERM");
  expect(await proc.exited).toBe(0);
}, 60_000);
