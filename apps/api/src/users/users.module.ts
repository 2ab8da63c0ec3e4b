import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UserAccess } from './user-access';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [AuditModule],
  controllers: [UsersController],
  providers: [UsersService, UserAccess],
  exports: [UsersService, UserAccess],
})
export class UsersModule {}
