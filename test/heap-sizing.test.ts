import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';

const HEAP_SIZING = pathToFileURL(join(import.meta.dirname, '..', 'src', 'heap-sizing.ts')).href;

/** The young generation's size (MB) in a fresh Node after 200 MB of short-lived objects, with the module or without. */
function youngGenerationAfterChurn(withHeapSizing: boolean): number {
  const script = `
    ${withHeapSizing ? `await import(${JSON.stringify(HEAP_SIZING)});` : ''}
    const { getHeapSpaceStatistics } = await import('node:v8');
    let kept = [];
    for (let i = 0; i < 2_000_000; i++) {
      kept.push({ id: 'a' + i, seats: [i, i + 1] });
      if (kept.length > 5_000) kept = [];
    }
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    process.stdout.write(String(young.space_size / 1024 / 1024));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return Number(out);
}

test('after heap-sizing is imported, churning short-lived objects leaves the young generation at 8 MB or less; without it, it grows to 16 MB or more', () => {
  const sized = youngGenerationAfterChurn(true);
  const unsized = youngGenerationAfterChurn(false);
  expect(unsized).toBeGreaterThanOrEqual(16);
  expect(sized).toBeLessThanOrEqual(8);
}, 60_000);
