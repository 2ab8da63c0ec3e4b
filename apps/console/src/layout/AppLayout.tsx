import LockResetIcon from '@mui/icons-material/LockReset';
import type { ReactNode } from 'react';
import { AppBar, Layout, Logout, MenuItemLink, UserMenu } from 'react-admin';
import { Navigate, useLocation } from 'react-router-dom';
import { session } from '../dataProvider/session';
import { AppMenu } from './AppMenu';

export const CHANGE_PASSWORD_PATH = '/change-password';

const AppUserMenu = () => (
  <UserMenu>
    <MenuItemLink to={CHANGE_PASSWORD_PATH} primaryText="tw.account.menu" leftIcon={<LockResetIcon />} data-testid="menu-change-password" />
    <Logout />
  </UserMenu>
);

const AppTopBar = () => <AppBar userMenu={<AppUserMenu />} />;

/** Until an administrator-set password is changed, every screen leads to the change-password screen (the API refuses the rest). */
export const AppLayout = ({ children }: { children: ReactNode }) => {
  const location = useLocation();
  if (session.user()?.passwordChangeRequired && location.pathname !== CHANGE_PASSWORD_PATH) return <Navigate to={CHANGE_PASSWORD_PATH} replace />;
  return (
    <Layout menu={AppMenu} appBar={AppTopBar}>
      {children}
    </Layout>
  );
};
