/**
 * What the bot must load that the floor never does, each part's RSS measured in a bare Node process: the floor's
 * Bolt first, then jsforce's core, SQLite with a database open, and the first time-zone formatter (ICU's data, mapped
 * on first use). Explains an idle-RSS ratio from a measurement rather than a guess.
 */
import { execFileSync } from 'node:child_process';

export interface IdleParts {
  /** RSS of Node with Bolt loaded, idle (the floor's start). */
  boltMb: number;
  jsforceMb: number;
  sqliteMb: number;
  icuMb: number;
}

// Each step after a full GC, so only what stays counts.
const PROBE = `
const rss = () => { globalThis.gc(); return process.memoryUsage().rss / 1048576; };
await import('@slack/bolt');
const bolt = rss();
await import('jsforce/lib/core.js');
const jsforce = rss();
const { default: Database } = await import('better-sqlite3');
new Database(':memory:').exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
const sqlite = rss();
new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', hour: '2-digit' }).formatToParts(new Date());
const icu = rss();
console.log(JSON.stringify({ boltMb: bolt, jsforceMb: jsforce - bolt, sqliteMb: sqlite - jsforce, icuMb: icu - sqlite }));
`;

export function measureIdleParts(cwd: string): IdleParts {
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', PROBE], {
    cwd,
    encoding: 'utf8',
  });
  return JSON.parse(out) as IdleParts;
}
