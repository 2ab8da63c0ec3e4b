import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Alert, Button, Card, CardContent, List, ListItem, ListItemText, Stack, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { HttpError, Link, Title, useLocaleState, useTranslate } from 'react-admin';
import { detailText, isApiErrorBody, type ApiErrorDetail } from '../dataProvider/apiErrors';
import { useTierwiseData } from '../dataProvider';

/**
 * Imports a policy file (`*.policy.json`, as exported) as a draft: of a new policy, or of the
 * existing policy with the file's key. The API checks the file; each problem is listed with its
 * place in the file, in the user's language.
 */
const ImportPolicyPage = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const api = useTierwiseData();
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({ mutationFn: (f: File) => api.importPolicyFile(f) });
  const errorBody = run.error instanceof HttpError && isApiErrorBody(run.error.body) ? run.error.body : null;
  const details: ApiErrorDetail[] = errorBody?.details ?? [];
  const result = run.data;
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('tw.policyFiles.importTitle')} />
      <CardContent>
        <Stack spacing={2} sx={{ maxWidth: 960 }}>
          <Typography variant="body2" color="text.secondary">
            {translate('tw.policyFiles.importHelp')}
          </Typography>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Button component="label" variant="outlined" startIcon={<UploadFileIcon />}>
              {translate('tw.policyFiles.chooseFile')}
              <input
                hidden
                type="file"
                accept=".json,application/json"
                data-testid="policy-file-input"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  run.reset();
                }}
              />
            </Button>
            <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
              {file?.name ?? translate('tw.policyFiles.noFile')}
            </Typography>
            <Button variant="contained" disabled={!file || run.isPending} onClick={() => file && run.mutate(file)} data-testid="policy-file-import">
              {translate('tw.policyFiles.importButton')}
            </Button>
          </Stack>
          {run.error && (
            <Alert severity="error" data-testid="policy-file-error">
              {run.error instanceof Error ? run.error.message : String(run.error)}
              {details.length > 0 && (
                <List dense>
                  {details.map((d, i) => (
                    <ListItem key={i} disableGutters>
                      <ListItemText primary={detailText(d, translate, locale)} secondary={d.path || translate('tw.policyFiles.wholeFile')} />
                    </ListItem>
                  ))}
                </List>
              )}
            </Alert>
          )}
          {result && (
            <Alert severity="success" data-testid="policy-file-imported">
              {translate(result.createdPolicy ? 'tw.policyFiles.importedNew' : 'tw.policyFiles.importedDraft', {
                key: result.policy.key,
                number: result.version.number,
                tests: result.testCases.added,
                kept: result.testCases.kept,
                catalog: result.addedToCatalog.length,
              })}{' '}
              <Link to={`/policy-versions/${result.version.id}`}>{translate('tw.policyFiles.openDraft')}</Link>
            </Alert>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
};

export default ImportPolicyPage;
