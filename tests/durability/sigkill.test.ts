// Kill the server with SIGKILL while a client sends 500 messages, restart it, let the client retry
// everything with the same nonces: every acknowledged message is there exactly once, and nothing
// is duplicated.
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { tempDir } from "../../src/testing/app.ts";

const MAIN = resolve(import.meta.dir, "../../src/main.ts");
const dataDir = tempDir("pokynano-sigkill-");
const running: ReturnType<typeof Bun.spawn>[] = [];
afterAll(() => {
  for (const proc of running) proc.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ proc: ReturnType<typeof Bun.spawn>; url: string }> {
  const proc = Bun.spawn([process.execPath, MAIN, "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir, "--log-format", "json"], { stdout: "pipe", stderr: "pipe" });
  running.push(proc);
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`server exited: ${await new Response(proc.stderr as ReadableStream).text()}`);
    buffer += new TextDecoder().decode(value);
    const line = buffer.split("\n").find((l) => l.includes('"pokynano listening"'));
    if (line) {
      reader.releaseLock();
      return { proc, url: JSON.parse(line).address as string };
    }
  }
}

test("every acknowledged message survives a SIGKILL exactly once, and retries create no duplicates", async () => {
  const create = Bun.spawn([process.execPath, MAIN, "admin", "create-user", "--username", "sender", "--admin", "--password-stdin", "--data-dir", dataDir], { stdin: "pipe", stdout: "ignore", stderr: "pipe" });
  create.stdin.write("a durable sender password\n");
  create.stdin.end();
  expect(await create.exited).toBe(0);

  let server = await start();
  const call = async (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api/v10${path}`, { method, headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  let token = "";
  token = ((await (await call("POST", "/auth/login", { login: "sender", password: "a durable sender password" })).json()) as { token: string }).token;
  await call("PATCH", "/admin/instance", { message_rate_limit: 0 });
  const guild = (await (await call("POST", "/guilds", { name: "Durable" })).json()) as { id: string };
  const channel = ((await (await call("GET", `/guilds/${guild.id}/channels`)).json()) as { id: string; type: number }[]).find((c) => c.type === 0)!;

  const TOTAL = 500;
  const acknowledged = new Map<string, string>(); // nonce -> message id
  let next = 0;
  let killed = false;
  const sendOne = async (i: number): Promise<boolean> => {
    try {
      const res = await call("POST", `/channels/${channel.id}/messages`, { content: `message ${i}`, nonce: `n${i}`, enforce_nonce: true });
      if (res.status !== 200) return false;
      acknowledged.set(`n${i}`, ((await res.json()) as { id: string }).id);
      return true;
    } catch {
      return false; // the server is gone
    }
  };
  // Sixteen senders; the server dies without warning after the 150th acknowledgement.
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < TOTAL) {
        const i = next++;
        await sendOne(i);
        if (!killed && acknowledged.size >= 150) {
          killed = true;
          server.proc.kill("SIGKILL");
        }
      }
    }),
  );
  await server.proc.exited;
  const beforeRestart = new Map(acknowledged);
  expect(beforeRestart.size).toBeGreaterThanOrEqual(150);

  // Restart on the same data dir and retry every message, acknowledged or not, with its nonce.
  server = await start();
  token = "";
  token = ((await (await call("POST", "/auth/login", { login: "sender", password: "a durable sender password" })).json()) as { token: string }).token;
  for (let i = 0; i < TOTAL; i += 25) {
    const results = await Promise.all(Array.from({ length: 25 }, (_, k) => sendOne(i + k)));
    expect(results.every(Boolean)).toBe(true);
  }
  // Retries of messages acknowledged before the crash returned the original message.
  for (const [nonce, id] of beforeRestart) expect(acknowledged.get(nonce)).toBe(id);

  const seen: { id: string; nonce?: string; content: string }[] = [];
  let before: string | undefined;
  for (;;) {
    const page = (await (await call("GET", `/channels/${channel.id}/messages?limit=100${before ? `&before=${before}` : ""}`)).json()) as { id: string; nonce?: string; content: string }[];
    if (page.length === 0) break;
    seen.push(...page);
    before = page[page.length - 1]!.id;
  }
  expect(seen.length).toBe(TOTAL);
  expect(new Set(seen.map((m) => m.nonce)).size).toBe(TOTAL);
  for (const [nonce, id] of beforeRestart) expect(seen.find((m) => m.nonce === nonce)?.id).toBe(id);
  server.proc.kill("SIGTERM");
  expect(await server.proc.exited).toBe(0);
}, 120_000);
