import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';

/**
 * Gives catalog groups owners: a Group's `spec.owner` (one entity ref or a
 * list; a bare name means a User in the group's namespace) becomes
 * `ownedBy` / `ownerOf` relations, as `spec.owner` does for components.
 * The stock Group kind has no owner, and Active Sessions reads group
 * owners as the managers of the group's members.
 *
 * @public
 */
export class GroupOwnerProcessor implements CatalogProcessor {
  getProcessorName() {
    return 'SessionsGroupOwnerProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (entity.kind !== 'Group') return entity;
    const owner = entity.spec?.owner;
    if (owner === undefined) return entity;
    const owners = Array.isArray(owner) ? owner : [owner];
    const self = getCompoundEntityRef(entity);
    for (const value of owners) {
      if (typeof value !== 'string' || value.trim() === '') {
        emit(
          processingResult.inputError(
            location,
            `Group ${self.name}: spec.owner must be an entity ref or a list of them`,
          ),
        );
        continue;
      }
      const target = parseEntityRef(value, {
        defaultKind: 'User',
        defaultNamespace: self.namespace,
      });
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_OWNED_BY,
          target,
        }),
      );
      emit(
        processingResult.relation({
          source: target,
          type: RELATION_OWNER_OF,
          target: self,
        }),
      );
    }
    return entity;
  }
}
