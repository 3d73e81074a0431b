import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  SessionsClient,
  StepUpBroker,
  sessionsApiRef,
  stepUpApiRef,
} from './api';
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
      api: stepUpApiRef,
      deps: {},
      factory: () => new StepUpBroker(),
    }),
    createApiFactory({
      api: sessionsApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        stepUp: stepUpApiRef,
      },
      factory: ({ discoveryApi, fetchApi, stepUp }) =>
        new SessionsClient({ discoveryApi, fetchApi, stepUp }),
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
export const ActiveSessionsPage: () => JSX.Element = sessionsPlugin.provide(
  createRoutableExtension({
    name: 'ActiveSessionsPage',
    component: () =>
      import('./components/ActiveSessionsPage').then(m => m.ActiveSessionsPage),
    mountPoint: rootRouteRef,
  }),
);
