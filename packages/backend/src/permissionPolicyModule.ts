import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ActiveSessionsPolicy } from './policies/ActiveSessionsPolicy';
import { CatalogManagerDirectory } from './policies/CatalogManagerDirectory';
import { CompanyPolicy } from './policies/CompanyPolicy';

/**
 * Installs the portal's permission policy: {@link ActiveSessionsPolicy}, or
 * with `portal.permissionPolicy: company` {@link CompanyPolicy}, so either
 * can be tried in the running portal without editing code.
 */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'active-sessions-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ policy, config, logger, catalog, auth }) {
        const chosen =
          config.getOptionalString('portal.permissionPolicy') ?? 'example';
        if (chosen === 'company') {
          policy.setPolicy(new CompanyPolicy());
        } else if (chosen === 'example') {
          policy.setPolicy(
            new ActiveSessionsPolicy(
              new CatalogManagerDirectory(catalog, auth),
            ),
          );
        } else {
          throw new Error(
            `portal.permissionPolicy must be 'example' or 'company', not '${chosen}'`,
          );
        }
        logger.info(`Permission policy: ${chosen}`);
      },
    });
  },
});
