import AuditIcon from '@mui/icons-material/History';
import type { ResourceProps } from 'react-admin';
import { AuditList } from './AuditList';

export const auditEvents: Omit<ResourceProps, 'name'> = {
  list: AuditList,
  icon: AuditIcon,
};
