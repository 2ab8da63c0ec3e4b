import { DataSource } from 'typeorm';

/** Read a setting, creating it with `make()` the first time (race-safe across processes). */
export async function getOrCreateSetting<T>(ds: DataSource, key: string, make: () => T): Promise<T> {
  await ds.query(`INSERT INTO app_setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, JSON.stringify(make())]);
  const rows: { value: T }[] = await ds.query(`SELECT value FROM app_setting WHERE key = $1`, [key]);
  return rows[0].value;
}
