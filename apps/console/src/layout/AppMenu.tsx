import CompareIcon from '@mui/icons-material/CompareArrows';
import PersonSearchIcon from '@mui/icons-material/PersonSearch';
import BarChartIcon from '@mui/icons-material/BarChart';
import { Divider } from '@mui/material';
import { Menu, usePermissions, useTranslate } from 'react-admin';
import { canRolesAccess } from '../auth/permissions';

const MAIN = ['policies', 'simulations', 'rating-runs', 'overrides', 'decisions'];
const CATALOGS = ['facts', 'benefits', 'benefit-packages'];

/** The menu follows the user's roles; the API enforces the same rules. */
export const AppMenu = () => {
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  const can = (resource: string) => canRolesAccess(permissions ?? [], resource, 'list');
  return (
    <Menu>
      <Menu.DashboardItem />
      {MAIN.filter(can).map((name) => (
        <Menu.ResourceItem key={name} name={name} />
      ))}
      {can('rating-runs') && (
        <Menu.Item to="/customers" primaryText={translate('tw.rating.customers')} leftIcon={<PersonSearchIcon />} data-testid="menu-customers" />
      )}
      {can('rating-runs') && (
        <Menu.Item to="/reports/tiers" primaryText={translate('tw.rating.report.menu')} leftIcon={<BarChartIcon />} data-testid="menu-tier-reports" />
      )}
      {can('policy-versions') && <Menu.Item to="/diff" primaryText={translate('tw.diff.title')} leftIcon={<CompareIcon />} />}
      <Divider />
      {CATALOGS.filter(can).map((name) => (
        <Menu.ResourceItem key={name} name={name} />
      ))}
      <Divider />
      {can('audit-events') && <Menu.ResourceItem name="audit-events" />}
      {can('users') && <Menu.ResourceItem name="users" />}
      {can('webhooks') && <Menu.ResourceItem name="webhooks" />}
    </Menu>
  );
};
