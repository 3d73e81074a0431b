import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ActiveSessionsPolicy } from './ActiveSessionsPolicy';
import { CatalogManagerDirectory } from './CatalogManagerDirectory';

/** Installs {@link ActiveSessionsPolicy} as the portal's permission policy. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'active-sessions-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ policy, catalog, auth }) {
        policy.setPolicy(
          new ActiveSessionsPolicy(new CatalogManagerDirectory(catalog, auth)),
        );
      },
    });
  },
});
