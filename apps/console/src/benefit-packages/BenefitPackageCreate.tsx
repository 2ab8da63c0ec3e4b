import { Create, Edit } from 'react-admin';
import { BenefitPackageForm } from './BenefitPackageForm';

export const BenefitPackageCreate = () => (
  <Create redirect="list">
    <BenefitPackageForm />
  </Create>
);

export const BenefitPackageEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <BenefitPackageForm isEdit />
  </Edit>
);
