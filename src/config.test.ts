import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { COMMANDS, ConfigError, GLOBAL_OPTIONS, parseCommandLine } from "./config.ts";

const parse = (argv: string[], env: Record<string, string> = {}) => parseCommandLine(argv, env);

describe("config", () => {
  test("with no flags it serves on port 3000 with data in ./data", () => {
    const { command, config } = parse([]);
    expect(command).toEqual({ name: "serve" });
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(resolve("./data"));
    expect(config.publicUrl).toBe("http://localhost:3000");
    expect(config.logLevel).toBe("info");
  });

  test("flags win over environment variables, which win over defaults", () => {
    const env = { POKYNANO_PORT: "4000", POKYNANO_HOST: "127.0.0.1", POKYNANO_LOG_LEVEL: "warn" };
    const { config } = parse(["--port", "5000"], env);
    expect(config.port).toBe(5000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.logLevel).toBe("warn");
    expect(parse(["--port=6000"]).config.port).toBe(6000);
  });

  test("every option has an environment variable equivalent", () => {
    const env = {
      POKYNANO_PORT: "1234",
      POKYNANO_HOST: "::1",
      POKYNANO_DATA_DIR: "/srv/poky",
      POKYNANO_PUBLIC_URL: "https://chat.example.org/",
      POKYNANO_LOG_LEVEL: "debug",
      POKYNANO_LOG_FORMAT: "pretty",
      POKYNANO_TRUST_PROXY: "true",
    };
    expect(parse([], env).config).toEqual({
      port: 1234,
      host: "::1",
      dataDir: "/srv/poky",
      publicUrl: "https://chat.example.org",
      logLevel: "debug",
      logFormat: "pretty",
      trustProxy: true,
      // The voice options have their own tests (src/voice/config.test.ts).
      voice: { ports: [50000, 50999], listenIp: null, publicIp: null, stunUrls: [], turnUrl: null, turnSecret: null },
    });
    expect(parse(["--trust-proxy"]).config.trustProxy).toBe(true);
    expect(parse([], { POKYNANO_TRUST_PROXY: "no" }).config.trustProxy).toBe(false);
    expect(() => parse([], { POKYNANO_TRUST_PROXY: "maybe" })).toThrow(/POKYNANO_TRUST_PROXY: must be true or false/);
  });

  test("bad values are refused with an error naming the flag or variable", () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["--port", "70000"], {}, /--port: must be a port number/],
      [["--port", "abc"], {}, /--port/],
      [["--port"], {}, /--port needs a value/],
      [[], { POKYNANO_PORT: "-1" }, /POKYNANO_PORT: must be a port number/],
      [["--log-level", "loud"], {}, /--log-level: must be debug, info, warn or error/],
      [["--public-url", "ftp://x"], {}, /--public-url: must be an http or https URL/],
      [["--public-url", "https://x.org/chat"], {}, /--public-url: must be an origin only/],
      [["--public-url", "not a url"], {}, /--public-url/],
      [["--data-dir", ""], {}, /--data-dir: must not be empty/],
      [["--frobnicate"], {}, /unknown flag --frobnicate/],
      [["launch"], {}, /unknown command "launch"/],
      [["serve", "extra"], {}, /unexpected argument "extra"/],
      [["backup"], {}, /backup needs --out FILE/],
      [["restore"], {}, /restore needs the backup FILE/],
      [["migrate", "--status=yes"], {}, /--status takes no value/],
    ];
    for (const [argv, env, message] of cases) {
      expect(() => parse(argv, env)).toThrow(ConfigError);
      expect(() => parse(argv, env)).toThrow(message);
    }
  });

  test("--help lists every command and option, --version prints the version", () => {
    const help = parse(["--help"]).command;
    expect(help.name).toBe("help");
    const text = help.name === "help" ? help.text : "";
    for (const name of Object.keys(COMMANDS)) expect(text).toContain(name);
    for (const opt of GLOBAL_OPTIONS) {
      expect(text).toContain(`--${opt.flag}`);
      expect(text).toContain(opt.env!);
    }
    const version = parse(["--version"]).command;
    expect(version.name === "version" && version.text).toMatch(/^pokynano \d+\.\d+\.\d+/);
  });

  test("commands take their own flags and arguments", () => {
    expect(parse(["backup", "--out", "b.db"]).command).toEqual({ name: "backup", out: resolve("b.db") });
    expect(parse(["restore", "b.db", "--data-dir", "/x"]).command).toEqual({ name: "restore", file: resolve("b.db"), dryRun: false });
    expect(parse(["restore", "b.tar.gz", "--dry-run"]).command).toEqual({ name: "restore", file: resolve("b.tar.gz"), dryRun: true });
    expect(parse(["migrate", "--status"]).command).toEqual({ name: "migrate", statusOnly: true });
    expect(parse(["healthcheck", "--port", "8080"]).command).toEqual({ name: "healthcheck", url: "http://127.0.0.1:8080" });
    expect(() => parse(["serve", "--out", "x"])).toThrow(/unknown flag --out/);
  });

  test("log format auto means pretty on a terminal and JSON lines otherwise", () => {
    expect(parseCommandLine([], {}, true).config.logFormat).toBe("pretty");
    expect(parseCommandLine([], {}, false).config.logFormat).toBe("json");
  });

  test("docs/configuration.md documents every flag and environment variable", () => {
    const doc = readFileSync(resolve(import.meta.dir, "../docs/configuration.md"), "utf8");
    for (const opt of GLOBAL_OPTIONS) {
      expect(doc).toContain(`--${opt.flag}`);
      expect(doc).toContain(opt.env!);
    }
    for (const cmd of Object.values(COMMANDS)) expect(doc).toContain(cmd.usage);
  });
});
