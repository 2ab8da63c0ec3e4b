import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1732340000000 implements MigrationInterface {
  name = 'Foundation1732340000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE app_setting (key text PRIMARY KEY, value jsonb NOT NULL)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE app_setting`);
  }
}
