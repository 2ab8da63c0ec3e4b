import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { core } from '@tierwise/contract';
import { z } from 'zod';
import { ContractOperation } from '../common/contract/operation.decorator';
import { ZodBody } from '../common/validation';
import { AllowedBeforePasswordChange, CurrentUser, Principal, Public, Roles } from '../common/access/access.decorators';
import { AuthService } from './auth.service';
import { ROLES } from '../common/access/roles';

const loginBody = core.loginBody;

const passwordBody = core.changePasswordBody;

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @ContractOperation(core.login)
  @Post('login')
  @HttpCode(200)
  login(@Req() req: FastifyRequest, @Body(new ZodBody(loginBody)) body: z.infer<typeof loginBody>) {
    return this.auth.login(body.username, body.password, req.ip);
  }

  @ContractOperation(core.me)
  @Get('me')
  @Roles(...ROLES)
  @AllowedBeforePasswordChange()
  me(@CurrentUser() me: Principal) {
    return this.auth.me(me.userId);
  }

  /** The account changes its own password; earlier tokens end, and the answer carries a new one. */
  @ContractOperation(core.changePassword)
  @Post('password')
  @HttpCode(200)
  @Roles(...ROLES)
  @AllowedBeforePasswordChange()
  changePassword(@Req() req: FastifyRequest, @CurrentUser() me: Principal, @Body(new ZodBody(passwordBody)) body: z.infer<typeof passwordBody>) {
    return this.auth.changePassword(me, body.currentPassword, body.newPassword, req.ip);
  }
}
