import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodBody } from '../common/validation';
import { CurrentUser, Principal, Public, Roles } from '../common/access/access.decorators';
import { AuthService } from './auth.service';
import { ROLES } from '../common/access/roles';

const loginBody = z.strictObject({
  username: z.string().min(1, 'is required').max(64, 'is too long'),
  password: z.string().min(1, 'is required').max(200, 'is too long'),
});

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Req() req: FastifyRequest, @Body(new ZodBody(loginBody)) body: z.infer<typeof loginBody>) {
    return this.auth.login(body.username, body.password, req.ip);
  }

  @ApiBearerAuth()
  @Get('me')
  @Roles(...ROLES)
  me(@CurrentUser() me: Principal) {
    return this.auth.me(me.userId);
  }
}
