import { requestJson } from './httpClient';
import { download, type FileFormat } from './download';
import type { ChainVerification } from './types';

/** The audit chain (contract §6). */
export const auditApi = {
  verifyAuditChain: () => requestJson<ChainVerification>('/audit-events/verify'),
  exportAudit: (filter: Record<string, unknown>, format: FileFormat) =>
    download(`/audit-events/export?format=${format}&filter=${encodeURIComponent(JSON.stringify(filter))}`, `audit-events.${format}`),
  download,
};
