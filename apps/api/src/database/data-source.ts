import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { buildDataSourceOptions } from './typeorm-options';

/** For the TypeORM CLI: `npx typeorm -d dist/database/data-source.js migration:show` (DATABASE_URL checked like the API's). */
const url = loadConfig().databaseUrl;
if (!url) throw new Error('DATABASE_URL must be set to use the migration CLI');
export default new DataSource(buildDataSourceOptions(url));
