// TURN with a real coturn (Debian's package, installed by `npm test` like Chromium): the server
// mints REST-API credentials (--turn-url + --turn-secret, coturn's use-auth-secret), and the
// voice connection test in settings gets its media through the relay with
// iceTransportPolicy "relay", so it works only if coturn accepted the minted credential and
// relayed both ways.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createSocket } from "node:dgram";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, tempDir, type TestApp } from "../../src/testing/app.ts";
import { launchBrowser, watchProblems, type Browser } from "./support/browser.ts";

const SECRET = "turn-test-secret-8Qw2";

/** A UDP port nobody uses right now. */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "0.0.0.0", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

// Chromium gathers no loopback candidates, and a relay bound to 127.0.0.1 cannot reach the SFU's
// other addresses: coturn listens and relays on this machine's first external IPv4 address.
const hostIp = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

let app: TestApp;
let person: TestAccount;
let browser: Browser;
let coturn: Bun.Subprocess;
let coturnLog = "";

beforeAll(async () => {
  if (!hostIp) throw new Error("this machine has no external IPv4 address for coturn to relay on");
  const port = await freeUdpPort();
  const dir = tempDir("pokynano-coturn-");
  coturn = Bun.spawn(
    ["turnserver", "-n", `--listening-ip=${hostIp}`, `--relay-ip=${hostIp}`, `--listening-port=${port}`, "--use-auth-secret", `--static-auth-secret=${SECRET}`, "--realm=pokynano.test", "--no-tls", "--no-dtls", "--no-cli", "--min-port=49152", "--max-port=65535", `--pidfile=${join(dir, "turnserver.pid")}`, `--userdb=${join(dir, "turndb")}`, "--log-file=stdout", "--simple-log", "--verbose"],
    { stdout: "pipe", stderr: "pipe" },
  );
  void (async () => {
    for await (const chunk of coturn.stdout as ReadableStream<Uint8Array>) coturnLog += new TextDecoder().decode(chunk);
  })();
  app = await createTestApp({ voice: { ports: null, listenIp: null, publicIp: null, stunUrls: [], turnUrl: `turn:${hostIp}:${port}`, turnSecret: SECRET } });
  person = await createAccount(app, { username: "tess_turn", displayName: "Tess" });
  browser = await launchBrowser();
  await browser.context.addCookies([{ name: "pokynano_session", value: person.token, url: app.url }]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  coturn?.kill();
}, 60_000);

test("the voice connection test gets its media through a real coturn with the credentials the server minted", async () => {
  const page = await browser.context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${app.url}/settings/voice`);
  await page.locator("#voice-test-run").click();
  await page.locator('#voice-test[data-done="1"]').waitFor({ timeout: 45_000 });
  expect(await page.locator("#voice-test-turn").textContent(), coturnLog.slice(-2000)).toBe("works");
  // coturn's own log: our minted user ("<expiry>:<user id>") was accepted and got a relay.
  for (let i = 0; i < 50 && !/allocation/i.test(coturnLog); i++) await Bun.sleep(100);
  expect(coturnLog).toContain(`:${person.user.id}`);
  expect(coturnLog).toMatch(/allocation/i);
  expect(problems).toEqual([]);
}, 90_000);
