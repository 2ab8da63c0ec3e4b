import { Create, Edit } from 'react-admin';
import { BenefitForm } from './BenefitForm';

export const BenefitCreate = () => (
  <Create redirect="list">
    <BenefitForm />
  </Create>
);

export const BenefitEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <BenefitForm isEdit />
  </Edit>
);
