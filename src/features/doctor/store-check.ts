/**
 * Store: DATA_DIR is writable (SQLite), or the Postgres of DATABASE_URL answers; and the store's schema is one this
 * version can use (migrated at start if older).
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DatabaseConfig } from '../../config.js';
import { SCHEMA_VERSION } from '../../store/schema.js';
import { type Check, type Finding, finding } from './types.js';

export const storeCheck: Check = {
  section: 'Store',
  name: 'store',
  async run({ config }) {
    if (!config) return [];
    if (config.database) return postgresFindings(config.database);
    const dir = resolve(config.dataDir);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (error) {
      return [
        finding(
          'Store',
          'store',
          'fail',
          `DATA_DIR ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
          `Point DATA_DIR at a directory the bot's user may write, or grant it: chown or chmod u+w ${dir}.`,
        ),
      ];
    }
    // The driver of the store in use only (see store/open.ts).
    const { STORE_FILE, sqliteSchemaVersion } = await import('../../store/sqlite.js');
    const file = join(dir, STORE_FILE);
    const version = sqliteSchemaVersion(file);
    const writable = finding('Store', 'store', 'ok', `DATA_DIR ${dir} is writable.`);
    if (version === undefined)
      return [
        writable,
        finding('Store', 'schema', 'ok', `no store yet: ${file} is created at start (schema v${SCHEMA_VERSION}).`),
      ];
    return [writable, schemaFinding(file, version, 'point DATA_DIR at another directory')];
  },
};

async function postgresFindings(database: DatabaseConfig): Promise<Finding[]> {
  const { describeDatabase, postgresSchemaVersion } = await import('../../store/postgres.js');
  const where = describeDatabase(database.url);
  let version: number;
  try {
    version = await postgresSchemaVersion({ ...database, poolSize: 1 });
  } catch (error) {
    return [
      finding(
        'Store',
        'store',
        'fail',
        `Postgres at ${where} cannot be reached: ${error instanceof Error ? error.message : String(error)}.`,
        'Check DATABASE_URL (host, port, database, user and password) and that Postgres is running and lets this host in.',
      ),
    ];
  }
  const reachable = finding('Store', 'store', 'ok', `Postgres at ${where} answers.`);
  if (version === 0)
    return [
      reachable,
      finding('Store', 'schema', 'ok', `no tables yet: created at start (schema v${SCHEMA_VERSION}).`),
    ];
  return [reachable, schemaFinding(where, version, 'point DATABASE_URL at another database')];
}

/** Whether a store at `version` can be used: current, migrated at start, or written by a newer bot. */
function schemaFinding(where: string, version: number, elsewhere: string): Finding {
  if (version > SCHEMA_VERSION)
    return finding(
      'Store',
      'schema',
      'fail',
      `${where} has schema v${version}, newer than this LMA Bot's v${SCHEMA_VERSION}: a newer version wrote it.`,
      `Run that newer LMA Bot (or a later one), or ${elsewhere} to start with an empty store.`,
    );
  const state =
    version === SCHEMA_VERSION ? `v${version}, current` : `v${version}; it is migrated to v${SCHEMA_VERSION} at start`;
  return finding('Store', 'schema', 'ok', `${where}: schema ${state}.`);
}
