import DecisionIcon from '@mui/icons-material/FactCheck';
import type { ResourceProps } from 'react-admin';
import { DecisionList } from './DecisionList';

export const decisions: Omit<ResourceProps, 'name'> = {
  list: DecisionList,
  icon: DecisionIcon,
};
