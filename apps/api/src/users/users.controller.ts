import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { ROLES } from '../common/access/roles';
import { parseListQuery, setContentRange } from '../common/list-query';
import { UuidParam, ZodBody } from '../common/validation';
import { UsersService } from './users.service';

const username = z.string().regex(/^[A-Za-z0-9_.@-]{3,64}$/, 'must be 3–64 letters, digits or _ . @ -');
// length, strength and the username are checked by the service (422 WEAK_PASSWORD with a code per reason)
const password = z.string().min(1, 'is required').max(200, 'must be at most 200 characters');
const roles = z.array(z.enum(ROLES)).min(1, 'needs at least one role');
const createUser = z.strictObject({ username, password, roles });
const patchUser = z.strictObject({ password: password.optional(), roles: roles.optional(), active: z.boolean().optional() });

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['username', 'createdAt', 'updatedAt'], ['username', 'ASC']);
    const { rows, total } = await this.users.list(q);
    setContentRange(res, 'users', q, rows.length, total);
    return rows;
  }

  @Get(':id')
  get(@Param('id', new UuidParam()) id: string) {
    return this.users.get(id);
  }

  @Post()
  create(@CurrentUser() me: Principal, @Body(new ZodBody(createUser)) body: z.infer<typeof createUser>) {
    return this.users.create(me.username, body);
  }

  @Patch(':id')
  update(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(patchUser)) body: z.infer<typeof patchUser>) {
    return this.users.update(me.username, id, body);
  }
}
