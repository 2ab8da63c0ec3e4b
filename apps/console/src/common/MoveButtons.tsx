import ArrowDownIcon from '@mui/icons-material/ArrowDownward';
import ArrowUpIcon from '@mui/icons-material/ArrowUpward';
import { IconButton, Tooltip } from '@mui/material';
import { useTranslate } from 'react-admin';

/** Up / down buttons for an item of an ordered list (tiers), disabled at either end. */
export const MoveButtons = ({ index, count, onMove, testIdPrefix }: { index: number; count: number; onMove(to: number): void; testIdPrefix?: string }) => {
  const translate = useTranslate();
  return (
    <>
      <Tooltip title={translate('ra.action.move_up')}>
        <span>
          <IconButton
            size="small"
            disabled={index === 0}
            onClick={() => onMove(index - 1)}
            aria-label={translate('ra.action.move_up')}
            data-testid={testIdPrefix && `${testIdPrefix}-up`}
          >
            <ArrowUpIcon fontSize="small" />
          </IconButton>
        </span>
      </Tooltip>
      <Tooltip title={translate('ra.action.move_down')}>
        <span>
          <IconButton
            size="small"
            disabled={index === count - 1}
            onClick={() => onMove(index + 1)}
            aria-label={translate('ra.action.move_down')}
            data-testid={testIdPrefix && `${testIdPrefix}-down`}
          >
            <ArrowDownIcon fontSize="small" />
          </IconButton>
        </span>
      </Tooltip>
    </>
  );
};
