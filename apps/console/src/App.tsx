import { lazy } from 'react';
import { Route } from 'react-router-dom';
import { Admin, CustomRoutes, Resource } from 'react-admin';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18n';
import { Dashboard } from './dashboard/Dashboard';
import { AppLayout } from './layout/AppLayout';
import { theme } from './layout/theme';
import { policies } from './policies';
import { policyVersions } from './policy-versions';
import { simulations } from './simulations';
import { decisions } from './decisions';
import { facts } from './facts';
import { benefits } from './benefits';
import { benefitPackages } from './benefit-packages';
import { auditEvents } from './audit-events';
import { users } from './users';
import { ratingRuns } from './rating-runs';
import { overrides } from './overrides';
import { webhooks } from './webhooks';

const DiffPage = lazy(() => import('./diff/DiffPage'));
const ChangePasswordPage = lazy(() => import('./account/ChangePasswordPage'));
const ReviewPage = lazy(() => import('./review/ReviewPage'));
const CustomerSearch = lazy(() => import('./customers/CustomerSearch'));
const CustomerPage = lazy(() => import('./customers/CustomerPage'));
const ImportPolicyPage = lazy(() => import('./policies/ImportPolicyPage'));
const TierReportPage = lazy(() => import('./reports/TierReportPage'));

export const App = () => (
  <Admin
    disableTelemetry
    title="Tierwise"
    authProvider={authProvider}
    dataProvider={dataProvider}
    i18nProvider={i18nProvider}
    dashboard={Dashboard}
    layout={AppLayout}
    theme={theme}
  >
    <Resource name="policies" {...policies} />
    <Resource name="policy-versions" {...policyVersions} />
    <Resource name="simulations" {...simulations} />
    <Resource name="rating-runs" {...ratingRuns} />
    <Resource name="overrides" {...overrides} />
    <Resource name="decisions" {...decisions} />
    <Resource name="facts" {...facts} />
    <Resource name="benefits" {...benefits} />
    <Resource name="benefit-packages" {...benefitPackages} />
    <Resource name="audit-events" {...auditEvents} />
    <Resource name="users" {...users} />
    <Resource name="webhooks" {...webhooks} />
    <Resource name="datasets" />
    <CustomRoutes noLayout>
      <Route path="/change-password" element={<ChangePasswordPage />} />
    </CustomRoutes>
    <CustomRoutes>
      <Route path="/diff" element={<DiffPage />} />
      <Route path="/review/:id" element={<ReviewPage />} />
      <Route path="/customers" element={<CustomerSearch />} />
      <Route path="/customers/:id" element={<CustomerPage />} />
      <Route path="/import-policy" element={<ImportPolicyPage />} />
      <Route path="/reports/tiers" element={<TierReportPage />} />
    </CustomRoutes>
  </Admin>
);
