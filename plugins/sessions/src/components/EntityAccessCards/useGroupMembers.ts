import { useApi } from '@backstage/core-plugin-api';
import {
  Entity,
  RELATION_HAS_MEMBER,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/** A deep organisation stops here, so a cycle in the catalog cannot loop. */
const MAX_GROUPS = 500;

const targets = (entity: Entity, type: string) =>
  (entity.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => relation.targetRef.toLocaleLowerCase('en-US'));

/**
 * The user entity refs (lower case, sorted) of a group's members, and with
 * `withSubTeams` of every group below it, as the catalog relates them.
 */
export function useGroupMembers(group: Entity, withSubTeams: boolean) {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const members = new Set(targets(group, RELATION_HAS_MEMBER));
    if (withSubTeams) {
      const seen = new Set([stringifyEntityRef(group).toLocaleLowerCase()]);
      let next = targets(group, RELATION_PARENT_OF).filter(r => !seen.has(r));
      while (next.length > 0 && seen.size < MAX_GROUPS) {
        next.forEach(ref => seen.add(ref));
        const { items } = await catalogApi.getEntitiesByRefs({
          entityRefs: next,
          fields: ['relations'],
        });
        const children = new Set<string>();
        for (const child of items) {
          if (!child) continue;
          targets(child, RELATION_HAS_MEMBER).forEach(r => members.add(r));
          targets(child, RELATION_PARENT_OF)
            .filter(r => !seen.has(r))
            .forEach(r => children.add(r));
        }
        next = [...children];
      }
    }
    return [...members].filter(ref => ref.startsWith('user:')).sort();
  }, [catalogApi, group, withSubTeams]);
}
