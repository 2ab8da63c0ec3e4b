import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useEffect } from 'react';
import { useBlocker, useTranslate } from 'react-admin';

/**
 * Unsaved edits are never dropped without a word: leaving the page inside the console asks first
 * (stay or discard), and reloading or closing the tab gets the browser's own warning.
 */
export const UnsavedGuard = ({ dirty }: { dirty: boolean }) => {
  const translate = useTranslate();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  if (blocker.state !== 'blocked') return null;
  const { reset, proceed } = blocker;
  return (
    <Dialog open onClose={reset} data-testid="unsaved-dialog">
      <DialogTitle>{translate('tw.unsaved.title')}</DialogTitle>
      <DialogContent>
        <DialogContentText>{translate('tw.unsaved.body')}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={reset} variant="contained" data-testid="unsaved-stay">
          {translate('tw.unsaved.stay')}
        </Button>
        <Button onClick={proceed} color="warning" data-testid="unsaved-leave">
          {translate('tw.unsaved.leave')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
