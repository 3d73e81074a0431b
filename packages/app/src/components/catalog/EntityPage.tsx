import { Grid } from '@material-ui/core';
import {
  EntityAboutCard,
  EntityLayout,
  EntitySwitch,
  isKind,
} from '@backstage/plugin-catalog';
import {
  EntityGroupProfileCard,
  EntityMembersListCard,
  EntityUserProfileCard,
} from '@backstage/plugin-org';
import {
  EntityAccessHeldCard,
  EntityTeamAccessCard,
} from '@active-sessions/plugin-sessions';

/** A person: their profile, and the access they hold right now. */
const userPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Overview">
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <EntityUserProfileCard />
        </Grid>
        <Grid item xs={12}>
          <EntityAccessHeldCard />
        </Grid>
      </Grid>
    </EntityLayout.Route>
  </EntityLayout>
);

/** A team: who is in it, and what each of them holds. */
const groupPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Overview">
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <EntityGroupProfileCard />
        </Grid>
        <Grid item xs={12} md={6}>
          <EntityMembersListCard />
        </Grid>
        <Grid item xs={12}>
          <EntityTeamAccessCard />
        </Grid>
      </Grid>
    </EntityLayout.Route>
  </EntityLayout>
);

const defaultPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Overview">
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <EntityAboutCard />
        </Grid>
      </Grid>
    </EntityLayout.Route>
  </EntityLayout>
);

/** The dev portal's catalog pages: Users and Groups carry Active Sessions. */
export const entityPage = (
  <EntitySwitch>
    <EntitySwitch.Case if={isKind('user')} children={userPage} />
    <EntitySwitch.Case if={isKind('group')} children={groupPage} />
    <EntitySwitch.Case children={defaultPage} />
  </EntitySwitch>
);
