/**
 * What the bot must load that the floor never does, each part's RSS measured in a bare Node process: the floor's
 * Bolt first, then the first time-zone formatter (ICU's data, mapped on first use; measured before jsforce, which
 * would otherwise map part of it), jsforce's core, and SQLite with a database open. Explains an idle-RSS ratio from a
 * measurement rather than a guess.
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
new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', hour: '2-digit' }).formatToParts(new Date());
const icu = rss();
await import('jsforce/lib/core.js');
const jsforce = rss();
const { default: Database } = await import('better-sqlite3');
new Database(':memory:').exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
const sqlite = rss();
console.log(JSON.stringify({ boltMb: bolt, icuMb: icu - bolt, jsforceMb: jsforce - icu, sqliteMb: sqlite - jsforce }));
`;

export function measureIdleParts(cwd: string): IdleParts {
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', PROBE], {
    cwd,
    encoding: 'utf8',
  });
  return JSON.parse(out) as IdleParts;
}
