/**
 * A small leveled logger that Bolt also uses. Every line passes through redaction of the configured secrets,
 * so a token that leaks into an error message from a library still never reaches the log. Human-readable lines by
 * default; with LOG_FORMAT=json one JSON object per line (time, level, msg, and the request's context: what it
 * was, where, its LMO calls), for a log pipeline.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, LogLevel } from '@slack/bolt';

export type LogFormat = 'text' | 'json';

/** What a JSON line carries of the request being handled (set by the middleware, added to as it goes). */
export type LogContext = Record<string, string | number>;

const requestContext = new AsyncLocalStorage<LogContext>();

/** Runs `run` with `context` on every line logged from it (and from what it awaits). */
export function withLogContext<T>(context: LogContext, run: () => T): T {
  return requestContext.run({ ...requestContext.getStore(), ...context }, run);
}

/** Adds to the context of the request being handled (no-op outside one). */
export function addLogContext(fields: LogContext): void {
  const store = requestContext.getStore();
  if (store) Object.assign(store, fields);
}

/** Counts one more LMO call for the request being handled. */
export function countLmoCall(): void {
  const store = requestContext.getStore();
  if (store) store.lmoCalls = Number(store.lmoCalls ?? 0) + 1;
}

const ORDER: Record<string, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface BotLogger extends Logger {
  /** Adds values that must never be printed (tokens, secrets, keys). */
  addSecrets(...values: (string | undefined)[]): void;
}

export function createLogger(
  options: {
    level?: string;
    format?: LogFormat;
    write?: (line: string) => void;
    secrets?: (string | undefined)[];
  } = {},
): BotLogger {
  let level = options.level ?? 'info';
  let name = 'lma-bot';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = new Set<string>();

  const redact = (text: string): string => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    // Bearer tokens and Slack tokens that were never configured (e.g. fresh access tokens) are masked by shape.
    return out
      .replace(/\b(xox[abposr]|xapp)-[A-Za-z0-9-]+/g, '$1-[redacted]')
      .replace(/(Bearer\s+)[^\s"']+/gi, '$1[redacted]')
      .replace(
        /(access_token|refresh_token|client_secret|password|assertion)(["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi,
        '$1$2[redacted]',
      );
  };
  const format = (value: unknown): string => {
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    if (typeof value === 'string') return value;
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  };
  const log =
    (at: string) =>
    (...messages: unknown[]) => {
      if (ORDER[at] < ORDER[level]) return;
      const time = new Date().toISOString();
      const msg = messages.map(format).join(' ');
      if (options.format !== 'json') return write(redact(`${time} ${at.toUpperCase().padEnd(5)} [${name}] ${msg}`));
      const context = requestContext.getStore();
      // Redacted before and after serialising: JSON escaping must not hide a secret from the match.
      const line = { time, level: at, logger: name, msg: redact(msg), ...(context ? { context } : {}) };
      write(redact(JSON.stringify(line)));
    };
  const logger: BotLogger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level as LogLevel,
    setName: (next: string) => {
      name = next;
    },
    addSecrets: (...values) => {
      // Short values would redact ordinary words; real secrets are long.
      for (const v of values) if (v && v.length >= 8) secrets.add(v);
    },
  };
  logger.addSecrets(...(options.secrets ?? []));
  return logger;
}
