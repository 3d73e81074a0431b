import {
  ApiBlueprint,
  AppRootElementBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  SessionsClient,
  StepUpBroker,
  sessionsApiRef,
  stepUpApiRef,
} from './api';
import DevicesIcon from '@material-ui/icons/Devices';
import { rootRouteRef } from './routes';
import { PortalSignInWatcher } from './components/PortalSignIns/PortalSignInWatcher';

const stepUpApi = ApiBlueprint.make({
  name: 'step-up',
  params: defineParams =>
    defineParams({
      api: stepUpApiRef,
      deps: {},
      factory: () => new StepUpBroker(),
    }),
});

const sessionsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: sessionsApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        stepUp: stepUpApiRef,
      },
      factory: ({ discoveryApi, fetchApi, stepUp }) =>
        new SessionsClient({ discoveryApi, fetchApi, stepUp }),
    }),
});

/** Signs a browser out once its sign-in is ended from Active Sessions. */
const portalSignInWatcher = AppRootElementBlueprint.make({
  name: 'portal-sign-in-watcher',
  params: {
    element: <PortalSignInWatcher />,
  },
});

const activeSessionsPage = PageBlueprint.make({
  params: {
    path: '/sessions',
    // Title and icon make the app's nav show the page.
    title: 'Active Sessions',
    icon: <DevicesIcon />,
    routeRef: rootRouteRef,
    // The page brings its own Header with the stats and actions.
    noHeader: true,
    loader: () =>
      import('./components/ActiveSessionsPage').then(m => (
        <m.ActiveSessionsPage />
      )),
  },
});

/** "Access held" on User pages: what the person holds right now. */
const accessHeldCard = EntityCardBlueprint.make({
  name: 'access-held',
  params: {
    filter: { kind: 'user' },
    type: 'content',
    loader: () =>
      import('./components/EntityAccessCards').then(m => (
        <m.EntityAccessHeldCard />
      )),
  },
});

/** "Team access" on Group pages: what each member holds; offboarding. */
const teamAccessCard = EntityCardBlueprint.make({
  name: 'team-access',
  params: {
    filter: { kind: 'group' },
    type: 'content',
    loader: () =>
      import('./components/EntityAccessCards').then(m => (
        <m.EntityTeamAccessCard />
      )),
  },
});

/**
 * The Active Sessions plugin for apps on the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'sessions',
  title: 'Active Sessions',
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
  },
  extensions: [
    activeSessionsPage,
    stepUpApi,
    sessionsApi,
    portalSignInWatcher,
    accessHeldCard,
    teamAccessCard,
  ],
});
