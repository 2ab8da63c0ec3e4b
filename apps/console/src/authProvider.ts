import type { AuthProvider } from 'react-admin';
import { login } from './dataProvider/auth';
import { session } from './dataProvider/session';
import { canRolesAccess } from './auth/permissions';

interface Credentials {
  username: string;
  password: string;
}

const statusOf = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : undefined;

const codeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null && 'body' in error && typeof error.body === 'object' && error.body !== null && 'code' in error.body
    ? error.body.code
    : undefined;

export const authProvider: AuthProvider = {
  async login({ username, password }: Credentials) {
    const { accessToken, user, passwordChangeRequired } = await login(username, password);
    session.save(accessToken, { ...user, passwordChangeRequired: passwordChangeRequired === true });
  },
  async logout() {
    session.clear();
  },
  async checkAuth() {
    // Not signed in yet is not an error: go to the login page without a "please sign in" toast
    // (react-admin skips the notification when the rejection's message is false).
    if (!session.token()) throw Object.defineProperty(new Error(), 'message', { value: false });
  },
  async checkError(error: unknown) {
    if (statusOf(error) === 401) {
      session.clear();
      throw new Error('ra.notification.logged_out');
    }
    // an administrator set the password after this session began: the change-password screen first
    if (statusOf(error) === 403 && codeOf(error) === 'PASSWORD_CHANGE_REQUIRED') {
      const user = session.user();
      const token = session.token();
      if (user && token) session.save(token, { ...user, passwordChangeRequired: true });
    }
  },
  async getPermissions() {
    return session.user()?.roles ?? [];
  },
  async getIdentity() {
    const user = session.user();
    if (!user) throw new Error('ra.auth.auth_check_error');
    return { id: user.username, fullName: user.username };
  },
  async canAccess({ resource, action }) {
    return canRolesAccess(session.user()?.roles ?? [], resource, action);
  },
};
