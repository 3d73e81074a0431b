import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { GroupOwnerProcessor } from './GroupOwnerProcessor';

/**
 * A catalog module that reads `spec.owner` on Group entities as the
 * group's owners (see {@link GroupOwnerProcessor}). Add it when your
 * groups do not get `ownedBy` relations some other way.
 *
 * @public
 */
export const catalogModuleGroupOwners = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'sessions-group-owners',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new GroupOwnerProcessor());
      },
    });
  },
});
