import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Instance-wide settings that must survive restarts and be shared by every API process (e.g. the JWT secret). */
@Entity('app_setting')
export class AppSetting {
  @PrimaryColumn('text')
  key: string;

  @Column('jsonb')
  value: unknown;
}
