import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { publicUser, User } from '../users/user.entity';
import { AuthException, AuthExceptionCode } from '../common/access/auth.exception';
import { LoginThrottle } from './login-throttle';
import type { Principal } from '../common/access/access.decorators';
import { UsersService } from '../users/users.service';

/** A hash to compare against when the user does not exist, so timing does not reveal usernames. */
let dummyHash: Promise<string> | undefined;

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
    private readonly users: UsersService,
  ) {}

  /**
   * The access token of an account whose password was just checked: its id, name and roles, and the token version
   * that a password change or a deactivation raises (older tokens then stop working).
   */
  tokenFor(user: Pick<User, 'id' | 'username' | 'roles' | 'tokenVersion'>): Promise<string> {
    return this.jwt.signAsync({ sub: user.id, username: user.username, roles: user.roles, ver: user.tokenVersion });
  }

  /** `address`: the client's, for the per-address throttle. */
  async login(username: string, password: string, address: string) {
    await this.throttle.attempt(username, address);
    const user = await this.ds
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .addSelect('u.tokenVersion')
      .where('u.username = :username', { username })
      .getOne();
    dummyHash ??= argon2.hash('not-a-real-password');
    const ok = user?.active ? await argon2.verify(user.passwordHash, password) : await argon2.verify(await dummyHash, password).then(() => false);
    if (!user || !ok) {
      await this.audit.recordAlone({
        actor: username.slice(0, 64) || '(empty)',
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: user?.id ?? username.slice(0, 64),
      });
      throw new AuthException(AuthExceptionCode.InvalidCredentials, 'Wrong username or password');
    }
    await this.throttle.succeeded(username, address);
    const accessToken = await this.tokenFor(user);
    return {
      accessToken,
      user: { id: user.id, username: user.username, roles: user.roles },
      // the console shows the change-password screen first; every other route answers 403 PASSWORD_CHANGE_REQUIRED until then
      passwordChangeRequired: user.passwordChangeRequired,
    };
  }

  /**
   * The signed-in account sets its own password. A wrong current password counts as a failed sign-in
   * (the same throttle), so a stolen token cannot be used to guess it.
   */
  async changePassword(me: Principal, current: string, next: string, address: string) {
    await this.throttle.attempt(me.username, address);
    let user: Awaited<ReturnType<UsersService['changeOwnPassword']>>;
    try {
      user = await this.users.changeOwnPassword(me.userId, current, next);
    } catch (e) {
      if (!(e instanceof AuthException && e.code === AuthExceptionCode.WrongCurrentPassword)) await this.throttle.succeeded(me.username, address);
      throw e;
    }
    await this.throttle.succeeded(me.username, address);
    const accessToken = await this.tokenFor(user);
    return { accessToken, user: { id: user.id, username: user.username, roles: user.roles }, passwordChangeRequired: false };
  }

  me(userId: string) {
    return this.ds.getRepository(User).findOneByOrFail({ id: userId }).then(publicUser);
  }
}
