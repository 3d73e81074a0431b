import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { SessionsClient, sessionsApiRef } from './api';
import { rootRouteRef } from './routes';

const sessionsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: sessionsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SessionsClient({ discoveryApi, fetchApi }),
    }),
});

const activeSessionsPage = PageBlueprint.make({
  params: {
    path: '/sessions',
    title: 'Active Sessions',
    routeRef: rootRouteRef,
    // The page brings its own Header with the stats and actions.
    noHeader: true,
    loader: () =>
      import('./components/ActiveSessionsPage').then(m => (
        <m.ActiveSessionsPage />
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
  extensions: [activeSessionsPage, sessionsApi],
});
