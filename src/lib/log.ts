// Structured logs: JSON lines for machines (production, journald, docker), one readable line for
// a person at a terminal. Fields are flat key/values so `jq` and grep both work.
import type { LogFormat, LogLevel } from "../config.ts";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  write?: (line: string) => void;
}

function serializeError(err: unknown): unknown {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return err;
}

function pretty(level: LogLevel, msg: string, fields: LogFields): string {
  const time = new Date().toISOString().slice(11, 23);
  const rest = Object.entries(fields)
    .map(([k, v]) => {
      const value = v instanceof Error ? (v.stack ?? v.message) : typeof v === "string" ? v : JSON.stringify(v);
      return `${k}=${value}`;
    })
    .join(" ");
  return `${time} ${level.toUpperCase().padEnd(5)} ${msg}${rest ? ` ${rest}` : ""}`;
}

export function createLogger(options: LoggerOptions, base: LogFields = {}): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const min = ORDER[options.level];
  const emit = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    if (ORDER[level] < min) return;
    const all: LogFields = { ...base, ...fields };
    for (const [k, v] of Object.entries(all)) if (v instanceof Error) all[k] = serializeError(v);
    if (options.format === "pretty") {
      write(pretty(level, msg, { ...base, ...fields }));
    } else {
      write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...all }));
    }
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

/** A logger that keeps lines in memory: tests read what the server said. */
export function createMemoryLogger(level: LogLevel = "debug"): Logger & { lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, format: "json", write: (line) => lines.push(JSON.parse(line)) });
  return Object.assign(logger, { lines });
}
