/**
 * Which store the bot opens: Postgres when DATABASE_URL is set (the store replicas share), otherwise the SQLite
 * file under DATA_DIR (one host).
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore, STORE_FILE } from './sqlite.js';
import type { Store } from './store.js';

export async function openStore(
  config: Pick<Config, 'dataDir' | 'database'>,
  onIdleError?: (error: Error) => void,
): Promise<Store> {
  if (config.database) return openPostgresStore({ ...config.database, onIdleError });
  return openSqliteStore(join(config.dataDir, STORE_FILE));
}
