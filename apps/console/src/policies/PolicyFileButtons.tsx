import DownloadIcon from '@mui/icons-material/Download';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Button } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useNotify, usePermissions, useRecordContext, useRedirect, useTranslate } from 'react-admin';
import { canRolesAccess } from '../auth/permissions';
import { useTierwiseData } from '../dataProvider';
import type { Policy } from '../dataProvider/types';

/** Downloads the policy as one file (definition, test cases, the catalog items it uses): the version in effect, else the latest. */
export const ExportPolicyButton = ({ versionId }: { versionId?: string }) => {
  const record = useRecordContext<Policy>();
  const translate = useTranslate();
  const notify = useNotify();
  const api = useTierwiseData();
  const run = useMutation({
    mutationFn: () => api.exportPolicy(record!.id, versionId),
    onError: (e) => notify(e instanceof Error ? e.message : String(e), { type: 'error' }),
  });
  if (!record) return null;
  return (
    <Button size="small" startIcon={<DownloadIcon />} onClick={() => run.mutate()} disabled={run.isPending} data-testid="policy-export">
      {translate('tw.policyFiles.export')}
    </Button>
  );
};

/** Opens the import page (authors and admins). */
export const ImportPolicyButton = () => {
  const translate = useTranslate();
  const redirect = useRedirect();
  const { permissions } = usePermissions<string[]>();
  if (!canRolesAccess(permissions ?? [], 'policies', 'create')) return null;
  return (
    <Button size="small" startIcon={<UploadFileIcon />} onClick={() => redirect('/import-policy')} data-testid="policy-import">
      {translate('tw.policyFiles.import')}
    </Button>
  );
};
