import {
  Entity,
  RELATION_HAS_MEMBER,
  RELATION_OWNED_BY,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ManagedMember } from '../database/ManagedMembersStore';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

const targetsOf = (entity: Entity, type: string) =>
  (entity.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => lower(relation.targetRef));

/**
 * Who manages whom, from catalog groups: each owner of a group (its
 * `ownedBy` relations) manages the group's members (`hasMember`) and the
 * members of every group below it (`parentOf`, followed down). Owners are
 * never listed as managing themselves.
 */
export function managedMembersOf(groups: Entity[]): ManagedMember[] {
  const byRef = new Map(
    groups.map(group => [lower(stringifyEntityRef(group)), group]),
  );
  const membersBelow = new Map<string, Set<string>>();
  const collect = (groupRef: string, seen: Set<string>): Set<string> => {
    const known = membersBelow.get(groupRef);
    if (known) return known;
    const members = new Set<string>();
    const group = byRef.get(groupRef);
    if (!group || seen.has(groupRef)) return members;
    seen.add(groupRef);
    for (const member of targetsOf(group, RELATION_HAS_MEMBER)) {
      members.add(member);
    }
    for (const child of targetsOf(group, RELATION_PARENT_OF)) {
      for (const member of collect(child, seen)) members.add(member);
    }
    seen.delete(groupRef);
    membersBelow.set(groupRef, members);
    return members;
  };

  const pairs = new Map<string, ManagedMember>();
  for (const [groupRef, group] of byRef) {
    const members = collect(groupRef, new Set());
    for (const managerRef of targetsOf(group, RELATION_OWNED_BY)) {
      for (const memberRef of members) {
        if (memberRef === managerRef) continue;
        pairs.set(`${managerRef}\n${memberRef}`, { managerRef, memberRef });
      }
    }
  }
  return [...pairs.values()];
}
