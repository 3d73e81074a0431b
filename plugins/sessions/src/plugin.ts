import {
  createApiFactory,
  createComponentExtension,
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

/**
 * "Access held", for a User's catalog page: the person's open sessions and
 * active grants as far as the viewer may see, End and Revoke where the
 * policy allows, and Offboard for those who may.
 *
 * @public
 */
export const EntityAccessHeldCard: () => JSX.Element = sessionsPlugin.provide(
  createComponentExtension({
    name: 'EntityAccessHeldCard',
    component: {
      lazy: () =>
        import('./components/EntityAccessCards').then(
          m => m.EntityAccessHeldCard,
        ),
    },
  }),
);

/**
 * "Team access", for a Group's catalog page: what each member holds, with
 * the teams below on request, and offboarding of the members ticked.
 *
 * @public
 */
export const EntityTeamAccessCard: () => JSX.Element = sessionsPlugin.provide(
  createComponentExtension({
    name: 'EntityTeamAccessCard',
    component: {
      lazy: () =>
        import('./components/EntityAccessCards').then(
          m => m.EntityTeamAccessCard,
        ),
    },
  }),
);
