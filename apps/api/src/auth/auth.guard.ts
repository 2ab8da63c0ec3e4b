import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { uuidParam } from '../common/validation';
import { BEFORE_PASSWORD_CHANGE, IS_PUBLIC, Principal, ROLES_KEY } from '../common/access/access.decorators';
import { AuthException, AuthExceptionCode } from '../common/access/auth.exception';
import { ROLES, Role } from '../common/access/roles';
import { UserAccess } from '../users/user-access';

interface TokenPayload {
  sub: string;
  username: string;
  roles: Role[];
  exp?: number;
  /** The account's token version when the token was issued (absent in tokens from before versions: 0). */
  ver?: number;
}

/** Verified tokens remembered (until they expire) so a busy service client is not re-verified on every call. */
const VERIFIED_CACHE_SIZE = 10_000;

/** What a route's decorators say about who may call it. */
export interface RouteAccess {
  isPublic: boolean;
  /** @Roles, or admin only when the route declares none. */
  allowed: readonly Role[];
  beforePasswordChange: boolean;
}

/** A controller class or one of its handlers (what Nest's decorators put metadata on). */
type DecoratedTarget = Parameters<Reflector['getAllAndOverride']>[1][number];

type VerifiedPrincipal = Principal & { tokenVersion: number; /** `sub` is a UUID (else no account can match it). */ validId: boolean };

/** Global guard: every route needs a valid bearer token and one of its @Roles, unless marked @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verified = new Map<string, { principal: VerifiedPrincipal; expiresAt: number }>();
  /** Each route's decorators, read once (by class, then handler: metadata is fixed once the app is built), not on every request. */
  private readonly routes = new WeakMap<DecoratedTarget, WeakMap<DecoratedTarget, RouteAccess>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly access: UserAccess,
  ) {}

  /** The token's principal: from the cache while it is unexpired, else verified (signature, issuer, expiry). */
  private async principal(token: string): Promise<VerifiedPrincipal> {
    const known = this.verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.principal;
    if (known) this.verified.delete(token);
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token);
    } catch {
      throw new AuthException(AuthExceptionCode.InvalidToken, 'The access token is invalid or expired; sign in again');
    }
    // A token that never expires is never issued here: one without `exp` was minted elsewhere.
    if (typeof payload.exp !== 'number') throw new AuthException(AuthExceptionCode.InvalidToken, 'The access token has no expiry; sign in again');
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)) : [];
    const principal = {
      userId: payload.sub,
      username: payload.username,
      roles,
      tokenVersion: typeof payload.ver === 'number' ? payload.ver : 0,
      validId: uuidParam.safeParse(payload.sub).success,
    };
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(token, { principal, expiresAt: payload.exp * 1000 });
    return principal;
  }

  /** A route's access (by its controller class and handler), read from its decorators once. */
  accessOf(handler: DecoratedTarget, type: DecoratedTarget): RouteAccess {
    let byHandler = this.routes.get(type);
    if (!byHandler) this.routes.set(type, (byHandler = new WeakMap()));
    let access = byHandler.get(handler);
    if (!access) {
      const targets = [handler, type];
      access = {
        isPublic: Boolean(this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)),
        allowed: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? ['admin'],
        beforePasswordChange: Boolean(this.reflector.getAllAndOverride<boolean>(BEFORE_PASSWORD_CHANGE, targets)),
      };
      byHandler.set(handler, access);
    }
    return access;
  }

  canActivate(ctx: ExecutionContext): Promise<boolean> {
    return this.authorize(ctx.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>(), this.accessOf(ctx.getHandler(), ctx.getClass()));
  }

  /**
   * The one check of a request against a route's access (Nest's guard for every route, and routes served straight
   * from Fastify): sets `req.user`, or throws the AuthException the console translates (401/403).
   */
  async authorize(req: FastifyRequest & { user?: Principal }, route: RouteAccess): Promise<boolean> {
    if (route.isPublic) return true;
    const header = req.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) {
      throw new AuthException(AuthExceptionCode.MissingToken, 'Sign in first: send Authorization: Bearer <token>');
    }
    const token = await this.principal(header.slice(7).trim());
    // The account as it is now, not as it was when the token was issued: deactivation, role and password changes apply at once.
    const now = token.validId ? await this.access.state(token.userId) : null;
    if (!now?.active) throw new AuthException(AuthExceptionCode.AccountInactive, 'This account is deactivated or no longer exists; ask an administrator');
    if (token.tokenVersion !== now.tokenVersion)
      throw new AuthException(AuthExceptionCode.TokenRevoked, 'The password was changed after this token was issued; sign in again');
    // An administrator created the account or set its password: the administrator must never hold a usable password.
    if (now.passwordChangeRequired && !route.beforePasswordChange)
      throw new AuthException(AuthExceptionCode.PasswordChangeRequired, 'An administrator set this password: choose your own first (POST /api/auth/password)');
    const principal: Principal = { userId: token.userId, username: now.username, roles: now.roles };
    req.user = principal;
    const allowed = route.allowed;
    if (!principal.roles.some((r) => allowed.includes(r))) {
      throw new AuthException(AuthExceptionCode.RoleRequired, `This needs one of the roles: ${allowed.join(', ')}`);
    }
    return true;
  }
}
