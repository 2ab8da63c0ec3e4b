import { HttpError } from 'react-admin';
import { API_URL, requestJson } from './httpClient';
import { session } from './session';
import type { ChainVerification } from './types';

/** Downloads an authenticated file (e.g. a CSV export) and hands it to the browser. */
async function download(path: string, filename: string): Promise<void> {
  const token = session.token();
  const response = await fetch(`${API_URL}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new HttpError(response.statusText, response.status);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The audit chain (contract §6). */
export const auditApi = {
  verifyAuditChain: () => requestJson<ChainVerification>('/audit-events/verify'),
  exportAuditCsv: (filter: Record<string, unknown>) =>
    download(`/audit-events/export.csv?filter=${encodeURIComponent(JSON.stringify(filter))}`, 'audit-events.csv'),
  download,
};
