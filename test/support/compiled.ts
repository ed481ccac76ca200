/**
 * The compiled bot, as production runs it: `npm run build` (tsc -b, incremental) once per test run, serialised across
 * vitest workers by a lock directory so two files that need dist/ never write it at the same time.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = process.cwd();
/** The production entry point: `node dist/index.js`. */
export const COMPILED_ENTRY = join(ROOT, 'dist', 'index.js');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const LOCK = join(ROOT, 'dist', '.build.lock');
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 5 * 60_000;
/** A cold build on a busy two-core machine. */
export const BUILD_TIMEOUT_MS = 240_000;

let built: Promise<string> | undefined;

/** Builds dist/ (a no-op when it is up to date) and resolves with the entry point to run. */
export function buildCompiled(): Promise<string> {
  built ??= withLock(async () => {
    await promisify(execFile)(process.execPath, [TSC, '-b', 'tsconfig.build.json'], {
      cwd: ROOT,
      timeout: BUILD_TIMEOUT_MS,
    });
    return COMPILED_ENTRY;
  });
  return built;
}

async function withLock<T>(run: () => Promise<T>): Promise<T> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - lockTime() > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await run();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function lockTime(): number {
  try {
    return statSync(LOCK).mtimeMs;
  } catch {
    return Date.now();
  }
}
