import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { IS_PUBLIC, Principal, ROLES_KEY } from './auth.decorators';
import { AuthException, AuthExceptionCode } from './auth.exception';
import { ROLES, Role } from './roles';

interface TokenPayload {
  sub: string;
  username: string;
  roles: Role[];
}

/** Global guard: every route needs a valid bearer token and one of its @Roles, unless marked @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
    const header = req.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) {
      throw new AuthException(AuthExceptionCode.MissingToken, 'Sign in first: send Authorization: Bearer <token>');
    }
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(header.slice(7).trim());
    } catch {
      throw new AuthException(AuthExceptionCode.InvalidToken, 'The access token is invalid or expired; sign in again');
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)) : [];
    req.user = { userId: payload.sub, username: payload.username, roles };
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? ['admin'];
    if (!roles.some((r) => allowed.includes(r))) {
      throw new AuthException(AuthExceptionCode.RoleRequired, `This needs one of the roles: ${allowed.join(', ')}`);
    }
    return true;
  }
}
