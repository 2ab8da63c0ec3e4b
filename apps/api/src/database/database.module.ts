import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { buildDataSourceOptions } from './typeorm-options';

/** The one TypeORM connection (its DataSource is available to every module); the schema is the migrations'. */
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return { module: DatabaseModule, imports: [TypeOrmModule.forRoot(buildDataSourceOptions(databaseUrl))] };
  }
}
