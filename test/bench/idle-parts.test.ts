import { describe, expect, it } from 'vitest';
import { measureIdleParts } from '../../bench/idle-parts.js';

describe('measureIdleParts', () => {
  it('measures Bolt, then what jsforce, SQLite and the first time-zone formatter each add, in a bare Node', async () => {
    const parts = await measureIdleParts(process.cwd());
    expect(parts.boltMb).toBeGreaterThan(20);
    // jsforce's core loads over a hundred modules; ICU maps megabytes of its data on first use.
    expect(parts.jsforceMb).toBeGreaterThan(1);
    expect(parts.icuMb).toBeGreaterThan(1);
    expect(Number.isFinite(parts.sqliteMb)).toBe(true);
  });
});
