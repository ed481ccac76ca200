import { describe, expect, it } from 'vitest';
import { threadCpuMs } from '../src/thread-cpu.js';

describe('threadCpuMs', () => {
  it('grows with the work the calling thread does, and never goes back', () => {
    const before = threadCpuMs();
    let sum = 0;
    for (let i = 0; i < 20_000_000; i++) sum += i % 7;
    const after = threadCpuMs();
    expect(sum).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(before);
    expect(threadCpuMs()).toBeGreaterThanOrEqual(after);
  });
});
