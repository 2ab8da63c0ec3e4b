import { codedException, ErrorKind } from '../common/errors/app.exception';

export enum AuthExceptionCode {
  InvalidCredentials = 'INVALID_CREDENTIALS',
  InvalidToken = 'INVALID_TOKEN',
  MissingToken = 'MISSING_TOKEN',
  RoleRequired = 'ROLE_REQUIRED',
  UsernameTaken = 'USERNAME_TAKEN',
  UserNotFound = 'USER_NOT_FOUND',
  LastAdmin = 'LAST_ADMIN',
  AccountInactive = 'ACCOUNT_INACTIVE',
  TokenRevoked = 'TOKEN_REVOKED',
  LoginThrottled = 'LOGIN_THROTTLED',
  WeakPassword = 'WEAK_PASSWORD',
}

const KINDS: Record<AuthExceptionCode, ErrorKind> = {
  [AuthExceptionCode.InvalidCredentials]: 'unauthorized',
  [AuthExceptionCode.InvalidToken]: 'unauthorized',
  [AuthExceptionCode.MissingToken]: 'unauthorized',
  [AuthExceptionCode.RoleRequired]: 'forbidden',
  [AuthExceptionCode.UsernameTaken]: 'conflict',
  [AuthExceptionCode.UserNotFound]: 'not-found',
  [AuthExceptionCode.LastAdmin]: 'conflict',
  [AuthExceptionCode.AccountInactive]: 'unauthorized',
  [AuthExceptionCode.TokenRevoked]: 'unauthorized',
  [AuthExceptionCode.LoginThrottled]: 'too-many-requests',
  [AuthExceptionCode.WeakPassword]: 'validation',
};

export const AuthException = codedException<AuthExceptionCode>('AuthException', KINDS);
