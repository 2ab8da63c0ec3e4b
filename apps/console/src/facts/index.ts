import FactIcon from '@mui/icons-material/Tune';
import type { ResourceProps } from 'react-admin';
import { FactCreate } from './FactCreate';
import { FactEdit } from './FactEdit';
import { FactList } from './FactList';

export const facts: Omit<ResourceProps, 'name'> = {
  list: FactList,
  create: FactCreate,
  edit: FactEdit,
  icon: FactIcon,
  recordRepresentation: 'label',
};
