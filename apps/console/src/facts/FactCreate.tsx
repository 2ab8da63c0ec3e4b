import { Create } from 'react-admin';
import { FactForm } from './FactForm';

export const FactCreate = () => (
  <Create redirect="list">
    <FactForm />
  </Create>
);
