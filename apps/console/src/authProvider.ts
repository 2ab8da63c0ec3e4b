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

export const authProvider: AuthProvider = {
  async login({ username, password }: Credentials) {
    const { accessToken, user } = await login(username, password);
    session.save(accessToken, user);
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
