import LibraryAddIcon from '@mui/icons-material/LibraryAdd';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocaleState, useNotify, usePermissions, useRedirect, useTranslate } from 'react-admin';
import { canRolesAccess } from '../auth/permissions';
import { useTierwiseData } from '../dataProvider';

/** "From template": a new policy started from one of the shipped schemes, as a draft with its test cases. */
export const FromTemplateButton = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const redirect = useRedirect();
  const api = useTierwiseData();
  const { permissions } = usePermissions<string[]>();
  const [open, setOpen] = useState(false);
  const [template, setTemplate] = useState('');
  const [key, setKey] = useState('');
  const templates = useQuery({ queryKey: ['templates'], queryFn: () => api.listTemplates(), enabled: open });
  const create = useMutation({
    mutationFn: () => api.createPolicyFromTemplate(template, key.trim() ? { key: key.trim() } : {}),
    onSuccess: (created) => {
      setOpen(false);
      notify('tw.templates.created', { type: 'success', messageArgs: { key: created.policy.key, tests: created.testCases } });
      redirect('show', 'policies', created.policy.id);
    },
  });
  if (!canRolesAccess(permissions ?? [], 'policies', 'create')) return null;
  const chosen = templates.data?.find((t) => t.key === template);
  return (
    <>
      <Button size="small" startIcon={<LibraryAddIcon />} onClick={() => setOpen(true)} data-testid="from-template">
        {translate('tw.templates.button')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <DialogTitle>{translate('tw.templates.title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField
              select
              label={translate('tw.templates.template')}
              value={template}
              slotProps={{ htmlInput: { 'data-testid': 'template-select' } }}
              onChange={(e) => {
                setTemplate(e.target.value);
                setKey(e.target.value);
              }}
            >
              {(templates.data ?? []).map((t) => (
                <MenuItem key={t.key} value={t.key}>
                  {locale === 'en' ? t.nameEn : t.name}
                </MenuItem>
              ))}
            </TextField>
            {chosen && (
              <Typography variant="body2" color="text.secondary" sx={{ maxHeight: 140, overflow: 'auto' }}>
                {chosen.description} · {chosen.tiers.map((t) => (locale === 'en' ? (t.nameEn ?? t.name) : t.name)).join(' / ')}
              </Typography>
            )}
            <TextField
              label={translate('resources.policies.fields.key')}
              value={key}
              onChange={(e) => setKey(e.target.value)}
              helperText={translate('tw.templates.keyHelp')}
              slotProps={{ htmlInput: { 'data-testid': 'template-key' } }}
            />
            {create.error && <Alert severity="error">{create.error instanceof Error ? create.error.message : String(create.error)}</Alert>}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
          <Button variant="contained" disabled={!template || create.isPending} onClick={() => create.mutate()} data-testid="template-create">
            {translate('tw.templates.create')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
