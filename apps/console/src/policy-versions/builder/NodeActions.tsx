import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import { IconButton, Tooltip } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useBuilder } from './BuilderContext';

export const NodeActions = ({ onRemove }: { onRemove?(): void }) => {
  const { readOnly } = useBuilder();
  const translate = useTranslate();
  if (!onRemove || readOnly) return null;
  return (
    <Tooltip title={translate('ra.action.remove')}>
      <IconButton size="small" onClick={onRemove} aria-label={translate('ra.action.remove')}>
        <DeleteIcon fontSize="small" />
      </IconButton>
    </Tooltip>
  );
};
