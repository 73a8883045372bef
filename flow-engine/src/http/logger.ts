/** Structured logs: one JSON object per line, with a time, a level and the message's own fields. */
import type { Logger } from "@vizflow/sdk";

export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  /** Lowest level written (default `info`). */
  level?: LogLevel;
  /** Where lines go (default stdout). */
  write?: (line: string) => void;
  /** Fields on every line (e.g. the engine instance). */
  base?: Record<string, unknown>;
}

export function jsonLogger(options: JsonLoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const base = options.base ?? {};
  const log =
    (level: LogLevel) =>
    (message: string, data?: Record<string, unknown>): void => {
      if (ORDER[level] < min) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...base, ...data })}\n`);
    };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

export function isLogLevel(value: string): value is LogLevel {
  return Object.hasOwn(ORDER, value);
}
