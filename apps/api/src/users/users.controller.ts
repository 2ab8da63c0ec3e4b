import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { core } from '@tierwise/contract';
import { z } from 'zod';
import { ContractOperation } from '../common/contract/operation.decorator';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { parseListQuery, setContentRange } from '../common/list-query';
import { UuidParam, ZodBody } from '../common/validation';
import { UsersService } from './users.service';

// length, strength and the username are checked by the service (422 WEAK_PASSWORD with a code per reason)
const createUser = core.createUserBody;
const patchUser = core.patchUserBody;

@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @ContractOperation(core.listUsers)
  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['username', 'createdAt', 'updatedAt'], ['username', 'ASC']);
    const { rows, total } = await this.users.list(q);
    setContentRange(res, 'users', q, rows.length, total);
    return rows;
  }

  @ContractOperation(core.getUser)
  @Get(':id')
  get(@Param('id', new UuidParam()) id: string) {
    return this.users.get(id);
  }

  @ContractOperation(core.createUser)
  @Post()
  create(@CurrentUser() me: Principal, @Body(new ZodBody(createUser)) body: z.infer<typeof createUser>) {
    return this.users.create(me, body);
  }

  @ContractOperation(core.updateUser)
  @Patch(':id')
  update(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(patchUser)) body: z.infer<typeof patchUser>) {
    return this.users.update(me, id, body);
  }
}
