import OverrideIcon from '@mui/icons-material/PushPin';
import type { ResourceProps } from 'react-admin';
import { OverrideList } from './OverrideList';

/** Overrides of official tiers (contract §9): the list with approve / reject / end; the customer page has its own panel. */
export const overrides: Omit<ResourceProps, 'name'> = {
  list: OverrideList,
  icon: OverrideIcon,
};
