/**
 * What the bot must load that the floor never does, each part's RSS measured in bare Node processes: Bolt loaded (the
 * floor's start), then one part alone — the first time-zone formatter (ICU's data, mapped on first use), jsforce's
 * core, or SQLite with a database open — its cost the RSS added, the median of a few fresh processes (RSS read after a
 * full GC still moves by a few MB from one process to the next). Explains an idle-RSS ratio from a measurement.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface IdleParts {
  /** RSS of Node with Bolt loaded, idle (the floor's start). */
  boltMb: number;
  icuMb: number;
  jsforceMb: number;
  sqliteMb: number;
}

const PARTS = {
  icuMb: `new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', hour: '2-digit' }).formatToParts(new Date());`,
  jsforceMb: `await import('jsforce/lib/core.js');`,
  sqliteMb: `const { default: Database } = await import('better-sqlite3');
new Database(':memory:').exec('CREATE TABLE t (k TEXT PRIMARY KEY)');`,
} as const;
const PROCESSES_PER_PART = 3;

/** Bolt's RSS and the part's on top, in MB, from one fresh process. */
async function oneProcess(cwd: string, part: string): Promise<{ bolt: number; added: number }> {
  const probe = `
const rss = async () => { globalThis.gc(); await new Promise((r) => setTimeout(r, 200)); return process.memoryUsage().rss / 1048576; };
await import('@slack/bolt');
const bolt = await rss();
${part}
console.log(JSON.stringify({ bolt, added: (await rss()) - bolt }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', probe], {
    cwd,
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as { bolt: number; added: number };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** All processes at once (each reads only its own RSS): 6.5 s one after another, a third of the quick run's spare. */
export async function measureIdleParts(cwd: string): Promise<IdleParts> {
  const added = async (part: string) => {
    const runs = await Promise.all(Array.from({ length: PROCESSES_PER_PART }, () => oneProcess(cwd, part)));
    return { bolt: runs.map((r) => r.bolt), added: median(runs.map((r) => r.added)) };
  };
  const [icu, jsforce, sqlite] = await Promise.all([added(PARTS.icuMb), added(PARTS.jsforceMb), added(PARTS.sqliteMb)]);
  return {
    boltMb: median([...icu.bolt, ...jsforce.bolt, ...sqlite.bolt]),
    icuMb: icu.added,
    jsforceMb: jsforce.added,
    sqliteMb: sqlite.added,
  };
}
