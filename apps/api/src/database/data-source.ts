import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './typeorm-options';

/** For the TypeORM CLI: `npx typeorm -d dist/database/data-source.js migration:show`. */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set to use the migration CLI');
export default new DataSource(buildDataSourceOptions(url));
