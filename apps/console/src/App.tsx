import { Admin, Resource } from 'react-admin';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18n';
import { Dashboard } from './dashboard/Dashboard';
import { facts } from './facts';
import { benefits } from './benefits';
import { benefitPackages } from './benefit-packages';

export const App = () => (
  <Admin
    disableTelemetry
    title="Tierwise"
    authProvider={authProvider}
    dataProvider={dataProvider}
    i18nProvider={i18nProvider}
    dashboard={Dashboard}
  >
    <Resource name="facts" {...facts} />
    <Resource name="benefits" {...benefits} />
    <Resource name="benefit-packages" {...benefitPackages} />
  </Admin>
);
