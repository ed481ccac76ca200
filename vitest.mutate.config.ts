/**
 * `npm run mutate` (Stryker): the fast unit tests of the pure core only. The include list REPLACES the base one
 * (a spread, not mergeConfig, which would append to it): every mutant runs against these files and no others.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export const MUTATE_TESTS = [
  'test/parse/args.test.ts',
  'test/parse/command.test.ts',
  'test/parse/dates.test.ts',
  'test/parse/hostile.test.ts',
  'test/parse/package.test.ts',
  'test/parse/question.test.ts',
  'test/parse/time.test.ts',
  'test/parse/tokens.test.ts',
  'test/lma/soql.test.ts',
  'test/lma/soql-boundary.test.ts',
  'test/lma/dates.test.ts',
  'test/lma/model.test.ts',
  'test/lma/service.test.ts',
  'test/lma/health-cost.test.ts',
  'test/lma/health-memory.test.ts',
  'test/lma/owner-week.test.ts',
  'test/lma/change-feed.test.ts',
  'test/lma/team-summary.test.ts',
  'test/features/alerts/views.test.ts',
  'test/features/answers/views.test.ts',
  'test/features/digest/views.test.ts',
  'test/features/guide/views.test.ts',
  'test/features/health/views.test.ts',
  'test/features/help/view.test.ts',
  'test/features/home/recent-alerts-view.test.ts',
  'test/features/home/views.test.ts',
  'test/features/home/week-view.test.ts',
];

export default defineConfig({
  ...base,
  test: { ...base.test, include: MUTATE_TESTS, maxWorkers: 1 },
});
