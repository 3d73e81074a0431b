import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { USER_RESOURCE_TYPE } from '@active-sessions/plugin-sessions-common';
import { z } from 'zod';
import { UserFilter } from './filters';

/**
 * A person as offboarding sees them: who they are and who manages them.
 *
 * @public
 */
export interface SessionsUser {
  userRef: string;
  managedBy: string[];
}

/**
 * The `sessions-user` resource type.
 *
 * @public
 */
export const userResourceRef = createPermissionResourceRef<
  SessionsUser,
  UserFilter
>().with({ pluginId: 'sessions', resourceType: USER_RESOURCE_TYPE });

const lower = (values: string[]) =>
  values.map(value => value.toLocaleLowerCase('en-US'));

const isUserManagedBy = createPermissionRule({
  name: 'IS_MANAGED_BY',
  description:
    'Allow people who are members of catalog groups owned by one of the claims (the group or a group below it), typically the caller (user.info.ownershipEntityRefs)',
  resourceRef: userResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity refs of the caller and their groups; owners of a group manage its members',
      ),
  }),
  apply: (user, { claims }) =>
    user.managedBy.some(manager => lower(claims).includes(manager)),
  toQuery: ({ claims }) => ({ property: 'managedBy', values: lower(claims) }),
});

const isUser = createPermissionRule({
  name: 'IS_USER',
  description: 'Allow the listed people',
  resourceRef: userResourceRef,
  paramsSchema: z.object({
    userRefs: z.array(z.string()).describe('User entity refs'),
  }),
  apply: (user, { userRefs }) => lower(userRefs).includes(user.userRef),
  toQuery: ({ userRefs }) => ({ property: 'userRef', values: lower(userRefs) }),
});

/**
 * Every rule a policy may use in a conditional decision on people.
 *
 * @public
 */
export const userRules = { isUserManagedBy, isUser };

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: userResourceRef,
  rules: userRules,
});

/**
 * Condition builders for policies on people, for example
 * `userConditions.isUserManagedBy({ claims: user.info.ownershipEntityRefs })`.
 *
 * @public
 */
export const userConditions = conditions;

/**
 * Wraps people conditions into a policy decision.
 *
 * @public
 */
export const createUserConditionalDecision = createConditionalDecision;

/**
 * Whether a person meets criteria: the same test the rules' `apply` makes,
 * on criteria already transformed to filters.
 *
 * @public
 */
export function userMatches(
  criteria: PermissionCriteria<UserFilter>,
  user: SessionsUser,
): boolean {
  if ('allOf' in criteria) {
    return criteria.allOf.every(inner => userMatches(inner, user));
  }
  if ('anyOf' in criteria) {
    return criteria.anyOf.some(inner => userMatches(inner, user));
  }
  if ('not' in criteria) return !userMatches(criteria.not, user);
  if (criteria.property === 'userRef') {
    return criteria.values.includes(user.userRef);
  }
  return user.managedBy.some(manager => criteria.values.includes(manager));
}
