/** The signed-in user's token and identity, kept in localStorage between visits. */
export interface SessionUser {
  username: string;
  roles: string[];
  /** An administrator set the password: the console shows only the change-password screen until it is changed. */
  passwordChangeRequired?: boolean;
}

const TOKEN_KEY = 'tierwise.token';
const USER_KEY = 'tierwise.user';

export const session = {
  token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  user(): SessionUser | null {
    const raw = localStorage.getItem(USER_KEY);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<SessionUser>;
      if (typeof parsed.username !== 'string' || !Array.isArray(parsed.roles)) return null;
      return {
        username: parsed.username,
        roles: parsed.roles.filter((r): r is string => typeof r === 'string'),
        passwordChangeRequired: parsed.passwordChangeRequired === true,
      };
    } catch {
      return null;
    }
  },
  save(token: string, user: SessionUser): void {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear(): void {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
  },
};
