import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createSessionsOffboardAction } from './actions/offboard';

/**
 * A scaffolder module that adds the action `sessions:offboard`: offboard
 * people in Active Sessions from a template, with the permissions (and
 * the step-up) of the person running it.
 *
 * @public
 */
export const scaffolderModuleSessions = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'sessions',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, auth, discovery, catalog }) {
        scaffolder.addActions(
          createSessionsOffboardAction({ auth, discovery, catalog }),
        );
      },
    });
  },
});
