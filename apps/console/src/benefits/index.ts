import BenefitIcon from '@mui/icons-material/CardGiftcard';
import type { ResourceProps } from 'react-admin';
import { BenefitCreate, BenefitEdit } from './BenefitCreate';
import { BenefitList } from './BenefitList';

export const benefits: Omit<ResourceProps, 'name'> = {
  list: BenefitList,
  create: BenefitCreate,
  edit: BenefitEdit,
  icon: BenefitIcon,
  recordRepresentation: 'name',
};
