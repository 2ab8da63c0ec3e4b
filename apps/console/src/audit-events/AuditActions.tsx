import DownloadIcon from '@mui/icons-material/Download';
import VerifiedIcon from '@mui/icons-material/VerifiedUser';
import { Alert, Button } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { FilterButton, TopToolbar, useListContext, useNotify, usePermissions, useTranslate } from 'react-admin';
import { canRolesAccess } from '../auth/permissions';
import { useTierwiseData } from '../dataProvider';
import type { FileFormat } from '../dataProvider/download';
import { chainBreakReason } from './chainBreak';

/** Verify the hash chain (shows the result) and export the filtered events as CSV. */
export const AuditActions = () => {
  const translate = useTranslate();
  const api = useTierwiseData();
  const { filterValues } = useListContext();
  const { permissions } = usePermissions<string[]>();
  const verify = useMutation({ mutationFn: () => api.verifyAuditChain() });
  const notify = useNotify();
  const exportFile = useMutation({
    mutationFn: (format: FileFormat) => api.exportAudit(filterValues, format),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  const result = verify.data;
  return (
    <TopToolbar sx={{ alignItems: 'center' }}>
      {result && (
        <Alert severity={result.valid ? 'success' : 'error'} sx={{ py: 0 }} data-testid="chain-result" data-valid={String(result.valid)}>
          {result.valid
            ? translate('tw.audit.chainValid', { count: result.count })
            : translate('tw.audit.chainBroken', { count: result.count, at: result.brokenAt?.seq ?? '?', reason: chainBreakReason(translate, result.brokenAt) })}
        </Alert>
      )}
      {verify.error && (
        <Alert severity="error" sx={{ py: 0 }}>
          {verify.error.message}
        </Alert>
      )}
      <Button startIcon={<VerifiedIcon />} onClick={() => verify.mutate()} disabled={verify.isPending} data-testid="verify-chain">
        {translate('tw.audit.verify')}
      </Button>
      <FilterButton />
      {canRolesAccess(permissions ?? [], 'audit-events', 'export') && (
        <>
          <Button startIcon={<DownloadIcon />} onClick={() => exportFile.mutate('csv')} disabled={exportFile.isPending} data-testid="audit-csv">
            CSV
          </Button>
          <Button startIcon={<DownloadIcon />} onClick={() => exportFile.mutate('xlsx')} disabled={exportFile.isPending} data-testid="audit-xlsx">
            Excel
          </Button>
        </>
      )}
    </TopToolbar>
  );
};
