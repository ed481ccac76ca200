/**
 * A small leveled logger that Bolt also uses. Every line passes through redaction of the configured secrets,
 * so a token that leaks into an error message from a library still never reaches the log.
 */
import type { Logger, LogLevel } from '@slack/bolt';

const ORDER: Record<string, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface BotLogger extends Logger {
  /** Adds values that must never be printed (tokens, secrets, keys). */
  addSecrets(...values: (string | undefined)[]): void;
}

export function createLogger(
  options: { level?: string; write?: (line: string) => void; secrets?: (string | undefined)[] } = {},
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
      write(
        redact(`${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} [${name}] ${messages.map(format).join(' ')}`),
      );
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
