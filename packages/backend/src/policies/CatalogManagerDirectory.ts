import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ManagerDirectory } from './ActiveSessionsPolicy';

/** Asks the catalog whether any group is owned by one of the claims. */
export class CatalogManagerDirectory implements ManagerDirectory {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async ownsAGroup(claims: string[]): Promise<boolean> {
    const { items } = await this.catalog.queryEntities(
      {
        filter: { kind: 'group', 'relations.ownedBy': claims },
        fields: ['metadata.name'],
        limit: 1,
        totalItems: 'exclude',
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return items.length > 0;
  }
}
