import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** Our workspace packages resolve to their TypeScript sources here, as under tsc and tsx (see their "exports"). */
const SOURCE_CONDITION = '@lma-bot/source';

export default defineConfig({
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own loopback servers; two workers match CI's 2 cores.
    maxWorkers: 2,
  },
});
