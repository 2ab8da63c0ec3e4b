import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthException, AuthExceptionCode } from '../common/access/auth.exception';
import type { Principal } from '../common/access/access.decorators';
import type { Role } from '../common/access/roles';
import { UserAccess } from './user-access';
import { ListQuery } from '../common/list-query';
import { passwordProblems } from '../common/access/password-policy';
import { publicUser, User } from './user.entity';

export interface UserInput {
  username: string;
  password: string;
  roles: Role[];
}

export interface UserPatch {
  password?: string;
  roles?: Role[];
  active?: boolean;
}

/** 422 WEAK_PASSWORD with each reason (codes the console translates) when the password may not be used. */
export function assertStrong(password: string, username: string, path = 'password'): void {
  const problems = passwordProblems(password, username, path);
  if (problems.length) throw new AuthException(AuthExceptionCode.WeakPassword, 'The password is not strong enough', problems);
}

/** Advisory lock held while a change that could remove an admin checks that one remains. */
const ADMIN_COUNT_LOCK = 7240004;

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly access: UserAccess,
  ) {}

  async list(q: ListQuery) {
    const qb = this.ds.getRepository(User).createQueryBuilder('u');
    const search = q.filter.q;
    if (typeof search === 'string' && search) qb.where('u.username ILIKE :q', { q: `%${search}%` });
    const [rows, total] = await qb.orderBy(`u.${q.sortField}`, q.sortOrder).skip(q.skip).take(q.take).getManyAndCount();
    return { rows: rows.map(publicUser), total };
  }

  async get(id: string) {
    const user = await this.ds.getRepository(User).findOneBy({ id });
    if (!user) throw new AuthException(AuthExceptionCode.UserNotFound, `No user with id ${id}`);
    return publicUser(user);
  }

  /**
   * `actor`: the administrator (a Principal) — the account records them as its creator and must choose
   * its own password at first sign-in, so the administrator never holds a usable password — or the
   * name of a system step (seeding from the operator's configuration), which records nobody.
   */
  create(actor: Principal | string, input: UserInput) {
    return this.ds.transaction((m) => this.createIn(m, actor, input));
  }

  async createIn(m: EntityManager, actor: Principal | string, input: UserInput) {
    assertStrong(input.password, input.username);
    const exists = await m.getRepository(User).existsBy({ username: input.username });
    if (exists) {
      throw new AuthException(AuthExceptionCode.UsernameTaken, `The username ${input.username} is taken`, [{ path: 'username', message: 'is taken' }]);
    }
    const by = typeof actor === 'string' ? null : actor.userId;
    const user = m.getRepository(User).create({
      username: input.username,
      roles: [...new Set(input.roles)],
      passwordHash: await argon2.hash(input.password),
      active: true,
      createdBy: by,
      passwordSetBy: by,
      passwordChangeRequired: by !== null,
      passwordChangedAt: null,
    });
    await m.getRepository(User).insert(user);
    const shown = publicUser(user);
    await this.audit.record(m, {
      actor: typeof actor === 'string' ? actor : actor.username,
      action: 'user.create',
      entityType: 'user',
      entityId: user.id,
      after: shown,
    });
    return shown;
  }

  /**
   * Roles and deactivation apply to tokens already issued: this process forgets the account's cached state once committed.
   * A password set for someone else is recorded as set by `actor` and must be changed by the account before anything else.
   */
  async update(actor: Principal, id: string, patch: UserPatch) {
    const after = await this.ds.transaction(async (m) => {
      const repo = m.getRepository(User);
      // Changes that may take an admin away queue here, in every process: two admins demoting each other
      // at once would each count the other as still an admin and both succeed.
      if (patch.roles || patch.active === false) await m.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_COUNT_LOCK]);
      const user = await repo.createQueryBuilder('u').setLock('pessimistic_write').where('u.id = :id', { id }).getOne();
      if (!user) throw new AuthException(AuthExceptionCode.UserNotFound, `No user with id ${id}`);
      if (patch.password) assertStrong(patch.password, user.username);
      const before = publicUser(user);
      const losesAdmin = user.roles.includes('admin') && ((patch.roles && !patch.roles.includes('admin')) || patch.active === false);
      if (losesAdmin) {
        const admins: { n: string }[] = await m.query(`SELECT count(*) AS n FROM app_user WHERE active AND 'admin' = ANY(roles)`);
        if (Number(admins[0].n) <= 1) throw new AuthException(AuthExceptionCode.LastAdmin, 'The last active admin cannot lose the admin role');
      }
      const changes: Partial<User> = {};
      if (patch.roles) changes.roles = [...new Set(patch.roles)];
      if (patch.active !== undefined) changes.active = patch.active;
      if (patch.password) {
        changes.passwordHash = await argon2.hash(patch.password);
        const own = actor.userId === id;
        changes.passwordChangeRequired = !own;
        if (own) changes.passwordChangedAt = new Date();
        else changes.passwordSetBy = actor.userId;
      }
      await repo.update({ id }, changes);
      // a new password ends every session: tokens issued before it carry the old version
      if (patch.password) await m.query('UPDATE app_user SET token_version = token_version + 1 WHERE id = $1', [id]);
      const after = publicUser((await repo.findOneByOrFail({ id })) as User);
      await this.audit.record(m, {
        actor: actor.username,
        action: patch.password ? 'user.update_password' : 'user.update',
        entityType: 'user',
        entityId: id,
        before,
        after,
      });
      return after;
    });
    this.access.forget(id);
    return after;
  }

  /**
   * The account chooses its own password (the current one proves it is them): the administrator's
   * reset stops being usable, earlier tokens end, and the account may do its work again.
   */
  async changeOwnPassword(userId: string, current: string, next: string) {
    const done = await this.ds.transaction(async (m) => {
      const user = await m
        .getRepository(User)
        .createQueryBuilder('u')
        .addSelect('u.passwordHash')
        .setLock('pessimistic_write')
        .where('u.id = :id', { id: userId })
        .getOne();
      if (!user) throw new AuthException(AuthExceptionCode.UserNotFound, `No user with id ${userId}`);
      if (!(await argon2.verify(user.passwordHash, current))) {
        throw new AuthException(AuthExceptionCode.WrongCurrentPassword, 'The current password is wrong', [
          { path: 'currentPassword', message: 'is wrong', code: 'WRONG_CURRENT_PASSWORD' },
        ]);
      }
      if (next === current) {
        throw new AuthException(AuthExceptionCode.PasswordUnchanged, 'Choose a password other than the current one', [
          { path: 'newPassword', message: 'is the current password', code: 'PASSWORD_UNCHANGED' },
        ]);
      }
      assertStrong(next, user.username, 'newPassword');
      await m.query(
        `UPDATE app_user SET password_hash = $2, password_change_required = false, password_changed_at = now(), token_version = token_version + 1, updated_at = now()
          WHERE id = $1`,
        [userId, await argon2.hash(next)],
      );
      await this.audit.record(m, {
        actor: user.username,
        action: 'user.change_password',
        entityType: 'user',
        entityId: userId,
        before: { passwordChangeRequired: user.passwordChangeRequired },
        after: { passwordChangeRequired: false },
      });
      const rows: { token_version: number }[] = await m.query('SELECT token_version FROM app_user WHERE id = $1', [userId]);
      return { id: user.id, username: user.username, roles: user.roles, tokenVersion: rows[0].token_version };
    });
    this.access.forget(userId);
    return done;
  }

  /** At boot: make sure the named account exists (created once; an existing one is left as it is). */
  async ensureUser(input: UserInput): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(7240002)');
      if (await m.getRepository(User).existsBy({ username: input.username })) return false;
      await this.createIn(m, 'system', input);
      return true;
    });
  }
}
