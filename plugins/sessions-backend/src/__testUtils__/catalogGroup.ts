import { Entity } from '@backstage/catalog-model';

/** A Group as the catalog serves it, its relations already resolved. */
export function catalogGroup(
  name: string,
  relations: { ownedBy?: string[]; hasMember?: string[]; parentOf?: string[] },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: Object.entries(relations).flatMap(([type, targets]) =>
      targets.map(targetRef => ({ type, targetRef })),
    ),
  };
}
