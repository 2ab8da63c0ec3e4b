import PackageIcon from '@mui/icons-material/Inventory2';
import type { ResourceProps } from 'react-admin';
import { BenefitPackageCreate, BenefitPackageEdit } from './BenefitPackageCreate';
import { BenefitPackageList } from './BenefitPackageList';

export const benefitPackages: Omit<ResourceProps, 'name'> = {
  list: BenefitPackageList,
  create: BenefitPackageCreate,
  edit: BenefitPackageEdit,
  icon: PackageIcon,
  recordRepresentation: 'name',
};
