/**
 * The real Postgres the tests run against: TEST_DATABASE_URL (`.ci/run` sets it under CI=true). Each test database
 * is a schema of its own, named `pgtest_…`, dropped after. Without TEST_DATABASE_URL outside CI the Postgres tests
 * are skipped with one notice; under CI=true they must run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { test } from 'vitest';
import { DATABASE_DEFAULTS } from '../../src/config.js';
import { openPostgresStore, type PostgresOptions, quoteIdentifier } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/store.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const IN_CI = process.env.CI === 'true';
const HINT =
  'TEST_DATABASE_URL is not set: the Postgres tests are skipped. ' +
  'Set it, e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test';

let told = false;
/** Whether this file's Postgres tests run; says once why not (a skipped test carries the hint in the report). */
export function postgresAvailable(): boolean {
  if (TEST_DATABASE_URL) return true;
  if (IN_CI) throw new Error(`CI=true: the Postgres tests must run. ${HINT}`);
  if (!told) {
    told = true;
    process.stderr.write(`\n⚠️  ${HINT}\n\n`);
    test.skip(HINT, () => {});
  }
  return false;
}

export interface TestSchema {
  schema: string;
  options: PostgresOptions;
  /** A DATABASE_URL that lands in this schema (search_path in the URL), for a bot or the doctor. */
  url: string;
  open(): Promise<Store>;
  /** Runs one statement as the test (not through a store), e.g. to look at rows or end connections. */
  query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

/** A fresh, empty schema `pgtest_<label>_<random>` on TEST_DATABASE_URL. */
export async function createTestSchema(label: string): Promise<TestSchema> {
  const url = TEST_DATABASE_URL;
  if (!url) throw new Error('createTestSchema needs TEST_DATABASE_URL');
  const schema = `pgtest_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${quoteIdentifier(schema)}` });
  await admin.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  const options: PostgresOptions = { url, schema, ...DATABASE_DEFAULTS };
  return {
    schema,
    options,
    url: `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    open: () => openPostgresStore(options),
    query: async (text, values) => (await admin.query(text, values)).rows,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
      await admin.end();
    },
  };
}
