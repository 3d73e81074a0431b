import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { canonicalEntityRef } from '@active-sessions/plugin-sessions-common';
import { PropertyFilter } from '@active-sessions/plugin-sessions-node';

/**
 * Whether a conditional read decision, as the store's criteria, can match a
 * row of someone other than the caller. It errs towards yes: a wrong yes
 * offers a list that shows only the caller's own, a wrong no hides rows the
 * policy lets them read.
 *
 * @param callerRef - the caller as the tables name people (lower-case).
 * @param managesOthers - whether any of these refs manages someone other
 *   than the caller (the managers mirror).
 */
export async function reachesOthers(
  criteria: PermissionCriteria<PropertyFilter<string>>,
  callerRef: string,
  managesOthers: (managerRefs: string[]) => Promise<boolean>,
): Promise<boolean> {
  const reaches = (inner: PermissionCriteria<PropertyFilter<string>>) =>
    reachesOthers(inner, callerRef, managesOthers);
  if ('allOf' in criteria) {
    for (const inner of criteria.allOf) {
      if (!(await reaches(inner))) return false;
    }
    return true;
  }
  if ('anyOf' in criteria) {
    for (const inner of criteria.anyOf) {
      if (await reaches(inner)) return true;
    }
    return false;
  }
  if ('not' in criteria) {
    // "Not mine" is everyone else's; telling that apart is not worth it.
    return true;
  }
  // No values match no row, whatever the property.
  if (criteria.values.length === 0) return false;
  const values = criteria.values.map(canonicalEntityRef);
  switch (criteria.property) {
    case 'userRef':
      // The owner rules get the caller's groups too; a session's user is
      // never a group.
      return values.some(ref => ref.startsWith('user:') && ref !== callerRef);
    case 'managedBy':
      return managesOthers(values);
    default:
      // A resource type, kind, status, source, target, or a property a
      // rule from another module adds: every user's rows may have it.
      return true;
  }
}
