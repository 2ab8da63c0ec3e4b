import { HttpError } from 'react-admin';
import { API_URL, apiErrorMessage, requestJson } from './httpClient';
import type { SessionUser } from './session';

export interface LoginResponse {
  accessToken: string;
  user: SessionUser;
  passwordChangeRequired?: boolean;
}

/** POST /api/auth/login; rejects with the API's message so the login form shows it. */
export async function login(username: string, password: string): Promise<LoginResponse> {
  const response = await fetch(`${API_URL}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw new HttpError(response.status === 401 ? 'ra.auth.sign_in_error' : apiErrorMessage(body, 'ra.auth.sign_in_error'), response.status, body);
  }
  return body as LoginResponse;
}

/** POST /api/auth/password: the signed-in account chooses its own password; the answer carries a new token (the old one ends). */
export const changePassword = (currentPassword: string, newPassword: string): Promise<LoginResponse> =>
  requestJson<LoginResponse>('/auth/password', 'POST', { currentPassword, newPassword });
