/**
 * Which store the bot opens: Postgres when DATABASE_URL is set (the store replicas share), otherwise the SQLite
 * file under DATA_DIR (one host). Each driver is loaded only when its store is opened: the one not used would hold
 * megabytes of memory for nothing (pg's some 15 MB of RSS).
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Store } from './store.js';

export async function openStore(
  config: Pick<Config, 'dataDir' | 'database'>,
  onIdleError?: (error: Error) => void,
): Promise<Store> {
  if (config.database) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore({ ...config.database, onIdleError });
  }
  const { openSqliteStore, STORE_FILE } = await import('./sqlite.js');
  return openSqliteStore(join(config.dataDir, STORE_FILE));
}
