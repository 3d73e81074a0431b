import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { SessionsClient, sessionsApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The Active Sessions plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const sessionsPlugin = createPlugin({
  id: 'sessions',
  apis: [
    createApiFactory({
      api: sessionsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SessionsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The Active Sessions page: your open sessions and their history, and ways to
 * end them.
 *
 * @public
 */
export const ActiveSessionsPage = sessionsPlugin.provide(
  createRoutableExtension({
    name: 'ActiveSessionsPage',
    component: () =>
      import('./components/ActiveSessionsPage').then(m => m.ActiveSessionsPage),
    mountPoint: rootRouteRef,
  }),
);
