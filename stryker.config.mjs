// `npm run mutate`: mutation testing of the pure core — parsing, the LMO service and its SOQL, dates and model, the
// views — against their fast unit tests (vitest.mutate.config.ts). Slow, so not in CI; one test process at a time
// and run under `nice` by the npm script: the machine is shared.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  mutate: [
    'src/parse/**/*.ts',
    'src/lma/service.ts',
    'src/lma/soql.ts',
    'src/lma/dates.ts',
    'src/lma/model.ts',
    'src/features/*/view.ts',
    'src/features/*/views.ts',
    'src/features/home/*-view.ts',
  ],
  concurrency: 1,
  // Mutants of module-level constants (formatters, escape tables) need a fresh module per mutant; under the vitest
  // runner they were reported surviving even where a test checks the constant's output (formatDate's 'en-GB'), at
  // half the run's time. Left out: their survivors were not evidence.
  ignoreStatic: true,
  coverageAnalysis: 'perTest',
  ignorePatterns: ['dist', 'packages/*/dist', 'test-artifacts', 'reports', 'data', '.stryker-tmp'],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
