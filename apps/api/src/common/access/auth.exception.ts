import { codedException, ErrorKind } from '../errors/app.exception';

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
  /** An administrator created the account or set its password: it may only change its own password until it does. */
  PasswordChangeRequired = 'PASSWORD_CHANGE_REQUIRED',
  WrongCurrentPassword = 'WRONG_CURRENT_PASSWORD',
  PasswordUnchanged = 'PASSWORD_UNCHANGED',
  /** The approver's account was created, or its password set, by someone who worked on what is being approved. */
  FourEyesAccountControlled = 'FOUR_EYES_ACCOUNT_CONTROLLED',
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
  [AuthExceptionCode.PasswordChangeRequired]: 'forbidden',
  [AuthExceptionCode.WrongCurrentPassword]: 'validation',
  [AuthExceptionCode.PasswordUnchanged]: 'validation',
  [AuthExceptionCode.FourEyesAccountControlled]: 'forbidden',
};

export const AuthException = codedException<AuthExceptionCode>('AuthException', KINDS);
