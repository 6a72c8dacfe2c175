// The only module that reads command-line flags and environment variables. Everything else
// receives a typed, validated Config. Flags win over env, env wins over defaults.
import { resolve } from "node:path";
import { VERSION } from "./version.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "json" | "pretty";

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Origin the instance is reached at, without a trailing slash (e.g. https://chat.example.org). */
  publicUrl: string;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** Take the client address from X-Forwarded-For (set only behind a reverse proxy you run). */
  trustProxy: boolean;
  /** Voice and video networking (docs/voice.md); absent = any free UDP port on every interface. */
  voice?: VoiceConfig;
}

export interface VoiceConfig {
  /** UDP ports for media, inclusive; null = any free port. */
  ports: [number, number] | null;
  /** The local address media sockets bind to; null = every interface. */
  listenIp: string | null;
  /** The address (or host name) clients are told to send media to, for a server behind NAT. */
  publicIp: string | null;
  /** STUN servers handed to browsers (the server itself never queries one). */
  stunUrls: string[];
  /** A TURN server for browsers that cannot reach the UDP ports, with coturn's REST shared secret. */
  turnUrl: string | null;
  turnSecret: string | null;
}

export type Command =
  | { name: "serve" }
  | { name: "help"; text: string }
  | { name: "version"; text: string }
  | { name: "backup"; out: string }
  | { name: "restore"; file: string; dryRun: boolean }
  | { name: "export"; guild: string; channel: string | null; format: "json" | "csv" | "html"; out: string }
  | { name: "import"; file: string; owner: string }
  | { name: "migrate"; statusOnly: boolean }
  | { name: "healthcheck"; url: string }
  | { name: "create-user"; username: string; displayName: string | null; admin: boolean; passwordStdin: boolean }
  | { name: "reset-password"; username: string; passwordStdin: boolean };

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Kind = "port" | "string" | "path" | "url" | "level" | "format" | "bool";

interface OptionSpec {
  flag: string;
  env?: string;
  kind: Kind;
  default?: string;
  help: string;
}

/** Options every command understands. Documented in docs/configuration.md (a test keeps them in step). */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flag: "port", env: "POKYNANO_PORT", kind: "port", default: "3000", help: "TCP port to listen on (0 picks a free one)" },
  { flag: "host", env: "POKYNANO_HOST", kind: "string", default: "0.0.0.0", help: "address to bind" },
  { flag: "data-dir", env: "POKYNANO_DATA_DIR", kind: "path", default: "./data", help: "the one directory holding all state (created on first start)" },
  { flag: "public-url", env: "POKYNANO_PUBLIC_URL", kind: "url", help: "URL users reach the instance at (default http://localhost:PORT); https turns on Secure cookies" },
  { flag: "log-level", env: "POKYNANO_LOG_LEVEL", kind: "level", default: "info", help: "debug, info, warn or error" },
  { flag: "log-format", env: "POKYNANO_LOG_FORMAT", kind: "format", default: "auto", help: "json, pretty, or auto (pretty on a terminal, JSON lines otherwise)" },
  { flag: "trust-proxy", env: "POKYNANO_TRUST_PROXY", kind: "bool", help: "client IPs come from X-Forwarded-For (only behind your own reverse proxy)" },
  { flag: "voice-ports", env: "POKYNANO_VOICE_PORTS", kind: "string", default: "50000-50999", help: "UDP ports for voice and video: PORT (one port shared by every call), MIN-MAX, or \"any\"" },
  { flag: "voice-listen-ip", env: "POKYNANO_VOICE_LISTEN_IP", kind: "string", help: "local address for voice UDP sockets (default: every interface)" },
  { flag: "voice-public-ip", env: "POKYNANO_VOICE_PUBLIC_IP", kind: "string", help: "public IP or host name clients send voice to (a server behind NAT)" },
  { flag: "stun-url", env: "POKYNANO_STUN_URL", kind: "string", help: "STUN server(s) for browsers, comma-separated (stun:host:port); none by default" },
  { flag: "turn-url", env: "POKYNANO_TURN_URL", kind: "string", help: "TURN server for browsers that cannot reach the UDP ports (turn:host:3478)" },
  { flag: "turn-secret", env: "POKYNANO_TURN_SECRET", kind: "string", help: "coturn static-auth-secret: short-lived TURN credentials are minted from it" },
];

interface CommandSpec {
  usage: string;
  summary: string;
  options: readonly OptionSpec[];
  positionals: readonly string[];
}

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  serve: { usage: "serve", summary: "run the server (the default command)", options: [], positionals: [] },
  backup: {
    usage: "backup --out FILE",
    summary: "write one archive (database snapshot, integrity-checked, plus uploaded files and a manifest) to FILE (.tar.gz)",
    options: [{ flag: "out", kind: "path", help: "where to write the backup" }],
    positionals: [],
  },
  restore: {
    usage: "restore FILE [--dry-run]",
    summary: "replace the database and files with a backup (the server must be stopped); --dry-run only validates FILE",
    options: [{ flag: "dry-run", kind: "bool", help: "check the archive and change nothing" }],
    positionals: ["FILE"],
  },
  migrate: {
    usage: "migrate [--status]",
    summary: "apply pending migrations, or list applied and pending ones with --status",
    options: [{ flag: "status", kind: "bool", help: "only report, change nothing" }],
    positionals: [],
  },
  "admin create-user": {
    usage: "admin create-user --username NAME [--admin]",
    summary: "create an account; the password comes from stdin with --password-stdin, else one is generated and printed once",
    options: [
      { flag: "username", kind: "string", help: "the new account's username" },
      { flag: "display-name", kind: "string", help: "its display name" },
      { flag: "admin", kind: "bool", help: "make it an instance admin" },
      { flag: "password-stdin", kind: "bool", help: "read the password from standard input" },
    ],
    positionals: [],
  },
  "admin reset-password": {
    usage: "admin reset-password --username NAME",
    summary: "set a new password (stdin with --password-stdin, else generated and printed once) and sign out every session",
    options: [
      { flag: "username", kind: "string", help: "whose password" },
      { flag: "password-stdin", kind: "bool", help: "read the password from standard input" },
    ],
    positionals: [],
  },
  export: {
    usage: "export --guild ID --format FORMAT --out FILE [--channel ID]",
    summary: "export a server (or one channel) to JSON (re-importable zip), CSV or an offline HTML zip; safe while the server runs",
    options: [
      { flag: "guild", kind: "string", help: "the server's id" },
      { flag: "channel", kind: "string", help: "only this channel (and its threads)" },
      { flag: "format", kind: "string", help: "FORMAT: json, csv or html" },
      { flag: "out", kind: "path", help: "where to write the export" },
    ],
    positionals: [],
  },
  import: {
    usage: "import FILE --owner USERNAME",
    summary: "import a Pokynano JSON export, a Slack export zip or a DiscordChatExporter export as a new server owned by USERNAME",
    options: [{ flag: "owner", kind: "string", help: "the account that owns the imported server" }],
    positionals: ["FILE"],
  },
  healthcheck: {
    usage: "healthcheck [--url URL]",
    summary: "exit 0 when the server's /healthz answers ok (for Docker and monitors)",
    options: [{ flag: "url", kind: "url", help: "base URL to probe (default http://127.0.0.1:PORT)" }],
    positionals: [],
  },
};

export function helpText(): string {
  const lines = [`pokynano ${VERSION}: self-hosted community chat in one binary`, "", "Usage: pokynano [COMMAND] [OPTIONS]", "", "Commands:"];
  for (const spec of Object.values(COMMANDS)) {
    lines.push(`  ${spec.usage.padEnd(28)} ${spec.summary}`);
    for (const opt of spec.options) lines.push(`      --${opt.flag.padEnd(22)} ${opt.help}`);
  }
  lines.push("", "Options (every command):");
  for (const opt of GLOBAL_OPTIONS) {
    const def = opt.default ? ` [default: ${opt.default}]` : "";
    lines.push(`  --${opt.flag.padEnd(26)} ${opt.help}${def}`, `      env ${opt.env}`);
  }
  lines.push("  --help                       show this text", "  --version                    print the version");
  return lines.join("\n");
}

function convert(spec: OptionSpec, raw: string, source: string): string | number | boolean {
  const fail = (why: string): never => {
    throw new ConfigError(`${source}: ${why} (got ${JSON.stringify(raw.slice(0, 80))})`);
  };
  switch (spec.kind) {
    case "port": {
      if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) fail("must be a port number from 0 to 65535");
      return Number(raw);
    }
    case "level":
      if (!["debug", "info", "warn", "error"].includes(raw)) fail("must be debug, info, warn or error");
      return raw;
    case "format":
      if (!["auto", "json", "pretty"].includes(raw)) fail("must be auto, json or pretty");
      return raw;
    case "url": {
      let url: URL | undefined;
      try {
        url = new URL(raw);
      } catch {
        fail("must be an absolute http(s) URL");
      }
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) return fail("must be an http or https URL");
      if (url.pathname !== "/" || url.search || url.hash || url.username) fail("must be an origin only, like https://chat.example.org");
      return url.origin;
    }
    case "string":
    case "path":
      if (raw.trim() === "" || raw.includes("\0")) fail("must not be empty");
      return raw;
    case "bool":
      // A flag is just present; an environment variable says yes or no.
      if (source === `--${spec.flag}`) return true;
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      return fail("must be true or false");
  }
}

interface ParsedArgs {
  command: string;
  values: Map<string, string | number | boolean>;
  positionals: string[];
  help: boolean;
  version: boolean;
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { command: "serve", values: new Map(), positionals: [], help: false, version: false };
  let i = 0;
  if (argv[0] === "admin") {
    out.command = `admin ${argv[1] ?? ""}`;
    i = 2;
    if (!COMMANDS[out.command]) throw new ConfigError(`unknown admin command "${argv[1] ?? ""}" (try --help)`);
  } else if (argv[0] !== undefined && !argv[0].startsWith("-")) {
    out.command = argv[0];
    i = 1;
    if (!COMMANDS[out.command]) throw new ConfigError(`unknown command "${out.command}" (try --help)`);
  }
  const spec = COMMANDS[out.command]!;
  const known = [...GLOBAL_OPTIONS, ...spec.options];
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      out.help = true;
      continue;
    }
    if (arg === "--version" || arg === "-v") {
      out.version = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const opt = known.find((o) => o.flag === name);
    if (!opt) throw new ConfigError(`unknown flag --${name} (try --help)`);
    if (opt.kind === "bool") {
      if (eq !== -1) throw new ConfigError(`--${name} takes no value`);
      out.values.set(name, true);
      continue;
    }
    const raw = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (raw === undefined) throw new ConfigError(`--${name} needs a value`);
    out.values.set(name, convert(opt, raw, `--${name}`));
  }
  if (out.positionals.length > spec.positionals.length) {
    throw new ConfigError(`unexpected argument "${out.positionals[spec.positionals.length]}" for ${out.command}`);
  }
  return out;
}

function resolveGlobal(parsed: ParsedArgs, env: Readonly<Record<string, string | undefined>>, isTty: boolean): Config {
  const value = (flag: string): string | number | boolean | undefined => {
    if (parsed.values.has(flag)) return parsed.values.get(flag);
    const spec = GLOBAL_OPTIONS.find((o) => o.flag === flag)!;
    const fromEnv = spec.env ? env[spec.env] : undefined;
    if (fromEnv !== undefined && fromEnv !== "") return convert(spec, fromEnv, spec.env!);
    return spec.default === undefined ? undefined : convert(spec, spec.default, `--${flag}`);
  };
  const port = value("port") as number;
  const format = value("log-format") as "auto" | LogFormat;
  return {
    port,
    host: value("host") as string,
    dataDir: resolve(value("data-dir") as string),
    publicUrl: (value("public-url") as string | undefined) ?? `http://localhost:${port}`,
    logLevel: value("log-level") as LogLevel,
    logFormat: format === "auto" ? (isTty ? "pretty" : "json") : format,
    trustProxy: value("trust-proxy") === true,
    voice: voiceConfig(value as (flag: string) => string | undefined),
  };
}

function voiceConfig(value: (flag: string) => string | undefined): VoiceConfig {
  const rawPorts = value("voice-ports")!;
  let ports: [number, number] | null = null;
  if (rawPorts !== "any") {
    // One port alone: every call shares it (src/sfu/udp-mux.ts).
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(rawPorts);
    const min = Number(m?.[1]);
    const max = m?.[2] === undefined ? min : Number(m[2]);
    if (!m || min < 1024 || max > 65535 || max < min || (m[2] !== undefined && max === min)) throw new ConfigError(`--voice-ports: must be PORT (one port for every call) or MIN-MAX with 1024 <= MIN < MAX <= 65535, or "any" (got ${JSON.stringify(rawPorts)})`);
    ports = [min, max];
  }
  const address = (flag: string, allowName: boolean): string | null => {
    const raw = value(flag);
    if (raw === undefined) return null;
    const ip = /^(\d{1,3}\.){3}\d{1,3}$/.test(raw) || (raw.includes(":") && /^[0-9a-f:.]+$/i.test(raw));
    if (!ip && !(allowName && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(raw))) throw new ConfigError(`--${flag}: must be an IP address${allowName ? " or a host name" : ""} (got ${JSON.stringify(raw.slice(0, 80))})`);
    return raw;
  };
  const stunUrls = (value("stun-url") ?? "").split(",").map((u) => u.trim()).filter(Boolean);
  for (const url of stunUrls) if (!/^stuns?:[^\s/?#]+$/.test(url)) throw new ConfigError(`--stun-url: each must look like stun:host:port (got ${JSON.stringify(url.slice(0, 80))})`);
  const turnUrl = value("turn-url") ?? null;
  if (turnUrl !== null && !/^turns?:[^\s/#]+$/.test(turnUrl)) throw new ConfigError(`--turn-url: must look like turn:host:3478 or turns:host:5349 (got ${JSON.stringify(turnUrl.slice(0, 80))})`);
  const turnSecret = value("turn-secret") ?? null;
  if ((turnUrl === null) !== (turnSecret === null)) throw new ConfigError("--turn-url and --turn-secret go together (coturn's use-auth-secret / static-auth-secret)");
  return { ports, listenIp: address("voice-listen-ip", false), publicIp: address("voice-public-ip", true), stunUrls, turnUrl, turnSecret };
}

/** Parse argv (without the executable and script) and env into a command and a config. Throws ConfigError. */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  isTty = false,
): { command: Command; config: Config } {
  const parsed = parseArgs(argv);
  const config = resolveGlobal(parsed, env, isTty);
  if (parsed.help) return { command: { name: "help", text: helpText() }, config };
  if (parsed.version) return { command: { name: "version", text: `pokynano ${VERSION}` }, config };
  switch (parsed.command) {
    case "backup": {
      const out = parsed.values.get("out");
      if (typeof out !== "string") throw new ConfigError("backup needs --out FILE");
      return { command: { name: "backup", out: resolve(out) }, config };
    }
    case "restore": {
      const file = parsed.positionals[0];
      if (!file) throw new ConfigError("restore needs the backup FILE to restore");
      return { command: { name: "restore", file: resolve(file), dryRun: parsed.values.get("dry-run") === true }, config };
    }
    case "migrate":
      return { command: { name: "migrate", statusOnly: parsed.values.get("status") === true }, config };
    case "admin create-user":
    case "admin reset-password": {
      const username = parsed.values.get("username");
      if (typeof username !== "string") throw new ConfigError(`${parsed.command} needs --username NAME`);
      const passwordStdin = parsed.values.get("password-stdin") === true;
      if (parsed.command === "admin reset-password") return { command: { name: "reset-password", username, passwordStdin }, config };
      const displayName = (parsed.values.get("display-name") as string | undefined) ?? null;
      return { command: { name: "create-user", username, displayName, admin: parsed.values.get("admin") === true, passwordStdin }, config };
    }
    case "export": {
      const [guild, channel, format, out] = ["guild", "channel", "format", "out"].map((f) => parsed.values.get(f));
      if (typeof guild !== "string" || !/^\d{1,19}$/.test(guild)) throw new ConfigError("export needs --guild ID (the server's numeric id)");
      if (channel !== undefined && (typeof channel !== "string" || !/^\d{1,19}$/.test(channel))) throw new ConfigError("--channel: must be a channel's numeric id");
      if (format !== "json" && format !== "csv" && format !== "html") throw new ConfigError("export needs --format json, csv or html");
      if (typeof out !== "string") throw new ConfigError("export needs --out FILE");
      return { command: { name: "export", guild, channel: (channel as string | undefined) ?? null, format, out: resolve(out) }, config };
    }
    case "import": {
      const file = parsed.positionals[0];
      const owner = parsed.values.get("owner");
      if (!file) throw new ConfigError("import needs the export FILE");
      if (typeof owner !== "string") throw new ConfigError("import needs --owner USERNAME (who owns the new server)");
      return { command: { name: "import", file: resolve(file), owner }, config };
    }
    case "healthcheck": {
      const url = (parsed.values.get("url") as string | undefined) ?? `http://127.0.0.1:${config.port}`;
      return { command: { name: "healthcheck", url }, config };
    }
    default:
      return { command: { name: "serve" }, config };
  }
}
