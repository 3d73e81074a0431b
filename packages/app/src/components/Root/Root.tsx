import { PropsWithChildren } from 'react';
import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarPage,
  SidebarSpace,
} from '@backstage/core-components';
import { makeStyles, Typography } from '@material-ui/core';
import { NotificationsSidebarItem } from '@backstage/plugin-notifications';
import DevicesIcon from '@material-ui/icons/Devices';
import MenuIcon from '@material-ui/icons/Menu';

const useStyles = makeStyles(theme => ({
  title: {
    color: theme.palette.common.white,
    padding: theme.spacing(3, 2, 1, 3),
    fontWeight: 700,
    whiteSpace: 'nowrap',
  },
}));

/** The portal frame: a sidebar with Active Sessions, and the page. */
export const Root = ({ children }: PropsWithChildren<{}>) => {
  const classes = useStyles();
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
          <NotificationsSidebarItem />
        </SidebarGroup>
        <SidebarSpace />
      </Sidebar>
      {children}
    </SidebarPage>
  );
};
