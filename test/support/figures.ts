/**
 * Figures from the reliability suite: printed, and merged into test-artifacts/reliability.json (git-ignored)
 * for the README. Test files run in parallel workers, so the merge happens under a directory lock.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const FILE = join(ARTIFACTS, 'reliability.json');
const LOCK = join(ARTIFACTS, 'reliability.lock');

export type Figures = Record<string, number | string | boolean>;

/** Records one section's figures (replacing that section from an earlier run). */
export async function recordFigures(section: string, figures: Figures): Promise<void> {
  console.log(`[reliability] ${section}: ${JSON.stringify(figures)}`);
  mkdirSync(ARTIFACTS, { recursive: true });
  await withLock(() => {
    let all: Record<string, Figures> = {};
    try {
      all = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, Figures>;
    } catch {
      // First figures of the run, or an unreadable file from an interrupted one: start afresh.
    }
    all[section] = { ...figures, recordedAt: new Date().toISOString() };
    writeFileSync(FILE, `${JSON.stringify(all, null, 2)}\n`);
  });
}

async function withLock(run: () => void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      // A lock left by a killed run is taken over after a while rather than blocking forever.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 100) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  try {
    run();
  } finally {
    try {
      rmdirSync(LOCK);
    } catch {
      // Already gone.
    }
  }
}
