import { Edit } from 'react-admin';
import { FactForm } from './FactForm';

export const FactEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <FactForm isEdit />
  </Edit>
);
