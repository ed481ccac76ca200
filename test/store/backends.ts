/**
 * The store backends the one store suite runs against. Each makes a fresh, empty database per test; `open` may be
 * called more than once on it (a restart, or a second process sharing it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, STORE_FILE } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { createTestSchema, postgresAvailable } from '../support/postgres.js';

export interface TestDatabase {
  open(): Promise<Store>;
  drop(): Promise<void>;
}

export interface StoreBackend {
  name: string;
  create(): Promise<TestDatabase>;
}

const sqlite: StoreBackend = {
  name: 'SQLite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'lma-store-'));
    return {
      open: async () => openSqliteStore(join(dir, STORE_FILE)),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgres: StoreBackend = {
  name: 'Postgres',
  create: () => createTestSchema('store'),
};

/** SQLite always; Postgres when TEST_DATABASE_URL names one (required under CI=true). */
export const backends: StoreBackend[] = postgresAvailable() ? [sqlite, postgres] : [sqlite];
