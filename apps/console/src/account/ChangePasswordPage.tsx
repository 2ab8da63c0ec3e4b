import LockResetIcon from '@mui/icons-material/LockReset';
import { Alert, Box, Button, Card, CardContent, Stack, Typography } from '@mui/material';
import { Form, HttpError, PasswordInput, required, SaveButton, useLogout, useNotify, useTranslate } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { changePassword } from '../dataProvider/auth';
import { session } from '../dataProvider/session';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/**
 * The signed-in account chooses its own password. Shown first, and alone, when an administrator
 * created the account or set its password (the API refuses everything else until then).
 */
export const ChangePasswordPage = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const logout = useLogout();
  const user = session.user();
  const required_ = user?.passwordChangeRequired === true;

  const submit = async (values: Record<string, unknown>) => {
    const form = values as unknown as PasswordForm;
    if (form.newPassword !== form.confirmPassword) return { confirmPassword: translate('tw.account.mismatch') };
    try {
      const done = await changePassword(form.currentPassword, form.newPassword);
      session.save(done.accessToken, { ...done.user, passwordChangeRequired: false });
      notify('tw.account.done', { type: 'success' });
      void navigate('/');
      return undefined;
    } catch (error) {
      if (error instanceof HttpError) {
        notify(error.message, { type: 'error' });
        const body: unknown = error.body;
        if (typeof body === 'object' && body !== null && 'errors' in body && typeof body.errors === 'object' && body.errors !== null)
          return body.errors as Record<string, unknown>;
      }
      throw error;
    }
  };

  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', alignItems: 'flex-start', minHeight: '100vh', pt: 8, bgcolor: 'background.default' }}>
      <Card sx={{ width: 440, maxWidth: '95vw' }} data-testid="change-password">
        <CardContent>
          <Stack spacing={2}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <LockResetIcon color="primary" />
              <Typography variant="h6">{translate('tw.account.title')}</Typography>
            </Stack>
            {user && <Typography variant="body2">{user.username}</Typography>}
            {required_ && <Alert severity="warning">{translate('tw.account.required')}</Alert>}
            <Typography variant="body2" color="text.secondary">
              {translate('tw.account.intro')}
            </Typography>
            <Form onSubmit={submit}>
              <PasswordInput source="currentPassword" label="tw.account.current" validate={required()} fullWidth autoComplete="current-password" />
              <PasswordInput source="newPassword" label="tw.account.next" validate={required()} fullWidth autoComplete="new-password" />
              <PasswordInput source="confirmPassword" label="tw.account.confirm" validate={required()} fullWidth autoComplete="new-password" />
              <Stack direction="row" spacing={1} sx={{ justifyContent: 'space-between', mt: 1 }}>
                <Button onClick={() => void logout()}>{translate('tw.account.signOut')}</Button>
                <SaveButton label="tw.account.submit" icon={<LockResetIcon />} alwaysEnable />
              </Stack>
            </Form>
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
};

export default ChangePasswordPage;
