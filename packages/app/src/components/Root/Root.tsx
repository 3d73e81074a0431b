import { PropsWithChildren } from 'react';
import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarPage,
  SidebarSpace,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { makeStyles, Typography } from '@material-ui/core';
import { NotificationsSidebarItem } from '@backstage/plugin-notifications';
import CreateComponentIcon from '@material-ui/icons/AddCircleOutline';
import DevicesIcon from '@material-ui/icons/Devices';
import PeopleIcon from '@material-ui/icons/People';
import SignOutIcon from '@material-ui/icons/ExitToApp';
import MenuIcon from '@material-ui/icons/Menu';

const useStyles = makeStyles(theme => ({
  title: {
    color: theme.palette.common.white,
    padding: theme.spacing(3, 2, 1, 3),
    fontWeight: 700,
    whiteSpace: 'nowrap',
  },
}));

/**
 * The portal frame: a sidebar with Active Sessions, the catalog's people
 * and teams, templates, and signing out (the
 * provider's logout, which ends this browser's portal sign-in), and the page.
 */
export const Root = ({ children }: PropsWithChildren<{}>) => {
  const classes = useStyles();
  const identityApi = useApi(identityApiRef);
  return (
    <SidebarPage>
      <Sidebar>
        <Typography variant="h6" className={classes.title}>
          Portal
        </Typography>
        <SidebarDivider />
        <SidebarGroup label="Menu" icon={<MenuIcon />}>
          <SidebarItem
            icon={DevicesIcon}
            to="sessions"
            text="Active Sessions"
          />
          <SidebarItem
            icon={PeopleIcon}
            to="catalog?filters[kind]=user"
            text="People"
          />
          <SidebarItem icon={CreateComponentIcon} to="create" text="Create" />
          <NotificationsSidebarItem />
        </SidebarGroup>
        <SidebarSpace />
        <SidebarDivider />
        <SidebarItem
          icon={SignOutIcon}
          text="Sign out"
          onClick={() => identityApi.signOut()}
        />
      </Sidebar>
      {children}
    </SidebarPage>
  );
};
