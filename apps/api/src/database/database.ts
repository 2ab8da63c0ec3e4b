import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './typeorm-options';

/** Connect, run pending migrations, disconnect: done once at startup, before the app takes traffic. */
export async function migrate(url: string): Promise<string[]> {
  const ds = new DataSource(buildDataSourceOptions(url));
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

/** A connection error as one readable line (no stack), naming the host. */
export function describeDatabaseError(url: string, error: unknown): string {
  let where = 'the database';
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    /* the URL was validated at boot */
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `Cannot use the database at ${where}: ${reason}`;
}
