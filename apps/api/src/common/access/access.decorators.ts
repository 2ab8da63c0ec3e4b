import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from './roles';

export const IS_PUBLIC = 'tierwise:public';
export const ROLES_KEY = 'tierwise:roles';

/** The only way to open a route to anonymous callers: guards are on by default. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Roles allowed on a route (any of them). A route without @Roles is refused to everyone but admin. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const BEFORE_PASSWORD_CHANGE = 'tierwise:before-password-change';

/**
 * Routes an account whose password an administrator set may use before it chooses its own (reading
 * who it is, changing the password). Every other route answers 403 PASSWORD_CHANGE_REQUIRED.
 */
export const AllowedBeforePasswordChange = () => SetMetadata(BEFORE_PASSWORD_CHANGE, true);

export interface Principal {
  userId: string;
  username: string;
  roles: Role[];
}

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<{ user?: Principal }>();
  if (!req.user) throw new Error('CurrentUser used on a public route');
  return req.user;
});
