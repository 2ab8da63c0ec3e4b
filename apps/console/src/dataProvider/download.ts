import { HttpError } from 'react-admin';
import { API_URL, apiErrorMessage } from './httpClient';
import { session } from './session';

/**
 * Downloads an authenticated file the API writes (CSV or XLSX, formula-safe, through its one
 * writer) and hands it to the browser under the name the API gives (Content-Disposition).
 */
export async function download(path: string, fallbackName: string): Promise<void> {
  const token = session.token();
  const response = await fetch(`${API_URL}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new HttpError(apiErrorMessage(body, response.statusText), response.status, body);
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export type FileFormat = 'csv' | 'xlsx';
