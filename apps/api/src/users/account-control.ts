import type { EntityManager } from 'typeorm';
import { AuthException, AuthExceptionCode } from '../common/access/auth.exception';

/** How an administrator controls an account: they created it, or they last set its password. */
export type ControlRelation = 'created' | 'password_set';

export interface AccountController {
  username: string;
  relation: ControlRelation;
}

/** Who controls the account named `username` (its creator and who last set its password), by their current names. */
export async function accountControllers(m: EntityManager, username: string): Promise<AccountController[]> {
  const rows: { creator: string | null; setter: string | null }[] = await m.query(
    `SELECT c.username AS creator, s.username AS setter
       FROM app_user u LEFT JOIN app_user c ON c.id = u.created_by LEFT JOIN app_user s ON s.id = u.password_set_by
      WHERE u.username = $1`,
    [username],
  );
  const found: AccountController[] = [];
  for (const r of rows) {
    if (r.creator) found.push({ username: r.creator, relation: 'created' });
    if (r.setter) found.push({ username: r.setter, relation: 'password_set' });
  }
  return found;
}

/**
 * Separation of duties (issue 14 point 4), for every approval: whoever authored, submitted or asked
 * for `what` cannot approve it under an account they created or whose password they set — that
 * would be approving their own work with a second account they hold. 403 FOUR_EYES_ACCOUNT_CONTROLLED.
 */
export async function assertNotControlledBy(m: EntityManager, approver: string, involved: Iterable<string | null | undefined>, what: string): Promise<void> {
  const people = new Set([...involved].filter((p): p is string => !!p));
  const controller = (await accountControllers(m, approver)).find((c) => people.has(c.username) && c.username !== approver);
  if (!controller) return;
  const how = controller.relation === 'created' ? 'created this account' : 'set the password of this account';
  throw new AuthException(
    AuthExceptionCode.FourEyesAccountControlled,
    `Four-eyes rule: ${controller.username} worked on ${what} and ${how}, so ${approver} cannot approve it`,
    [{ path: 'approvedBy', message: `${controller.username} ${how}` }],
    { username: approver, controller: controller.username, relation: controller.relation, what },
  );
}
