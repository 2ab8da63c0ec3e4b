import type { DataSourceOptions } from 'typeorm';
import { DATABASE_CONNECT_TIMEOUT_MS } from '../common/errors/database-unavailable';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * TypeORM reads host, port, user, password and database from a URL but drops its query string, so a
 * Unix socket given as `?host=/path/to/socket-folder` (as the embedded database is reached, and as pg
 * itself understands) is passed as separate fields; any other URL is passed as it is.
 */
function connectionOf(url: string): { url: string } | { host: string; port: number; username: string; password: string; database: string } {
  const u = new URL(url);
  const host = u.searchParams.get('host');
  if (!host) return { url };
  return {
    host,
    port: Number(u.port || 5432),
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)) || 'postgres',
  };
}

/** The one place that builds TypeORM options, for the app, the workers and the migration CLI. */
export function buildDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    ...connectionOf(url),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    extra: { max: 20, application_name: 'tierwise', connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS },
  };
}
