import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { managedMembersOf } from '../catalog/managedMembersOf';
import { ManagedMembersStore } from '../database/ManagedMembersStore';

/**
 * Mirrors the catalog's groups into the managers table that the
 * IS_MANAGED_BY rules read. Run by the scheduler, once per cluster; when
 * the catalog cannot be read the previous mirror stays.
 */
export class ManagedMembersSync {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      store: ManagedMembersStore;
      logger: LoggerService;
    },
  ) {}

  async run(): Promise<void> {
    const { catalog, auth, store, logger } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const groups: Entity[] = [];
    for await (const page of catalog.streamEntities(
      {
        filter: { kind: 'group' },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      { credentials },
    )) {
      groups.push(...page);
    }
    const pairs = managedMembersOf(groups);
    const { added, removed } = await store.replaceAll(pairs);
    if (added > 0 || removed > 0) {
      logger.info(
        `Managers from the catalog: ${pairs.length} pairs from ${groups.length} groups (${added} added, ${removed} removed)`,
      );
    }
  }
}
