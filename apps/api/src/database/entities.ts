import { AuditEvent } from '../audit/audit-event.entity';
import { User } from '../users/user.entity';
import { AppSetting } from './app-setting.entity';

export const ENTITIES = [AppSetting, User, AuditEvent];
