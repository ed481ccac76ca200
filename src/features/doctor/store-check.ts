/** Store: DATA_DIR is writable, and the store's schema is one this version can use (migrated at start if older). */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SCHEMA_VERSION } from '../../store/schema.js';
import { STORE_FILE, sqliteSchemaVersion } from '../../store/sqlite.js';
import { type Check, finding } from './types.js';

export const storeCheck: Check = {
  section: 'Store',
  name: 'store',
  async run({ config }) {
    if (!config) return [];
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
    const file = join(dir, STORE_FILE);
    const version = sqliteSchemaVersion(file);
    const writable = finding('Store', 'store', 'ok', `DATA_DIR ${dir} is writable.`);
    if (version === undefined)
      return [
        writable,
        finding('Store', 'schema', 'ok', `no store yet: ${file} is created at start (schema v${SCHEMA_VERSION}).`),
      ];
    if (version > SCHEMA_VERSION)
      return [
        writable,
        finding(
          'Store',
          'schema',
          'fail',
          `${file} has schema v${version}, newer than this LMA Bot's v${SCHEMA_VERSION}: a newer version wrote it.`,
          'Run that newer LMA Bot (or a later one), or point DATA_DIR at another directory to start with an empty store.',
        ),
      ];
    const state = version === SCHEMA_VERSION ? 'current' : `v${version}; it is migrated to v${SCHEMA_VERSION} at start`;
    return [
      writable,
      finding('Store', 'schema', 'ok', `${file}: schema ${state === 'current' ? `v${version}, current` : state}.`),
    ];
  },
};
