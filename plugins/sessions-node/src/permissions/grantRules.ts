import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  AccessGrant,
  GRANT_KINDS,
  GRANT_RESOURCE_TYPE,
} from '@active-sessions/plugin-sessions-common';
import { z } from 'zod';
import { GrantFilter } from './filters';

/**
 * A grant as permission rules see it: with its holder's managers.
 *
 * @public
 */
export type GrantResource = AccessGrant & { managedBy: string[] };

/**
 * The `access-grant` resource type, with the store's filter as its query.
 *
 * @public
 */
export const grantResourceRef = createPermissionResourceRef<
  GrantResource,
  GrantFilter
>().with({ pluginId: 'sessions', resourceType: GRANT_RESOURCE_TYPE });

const lower = (values: string[]) =>
  values.map(value => value.toLocaleLowerCase('en-US'));

const isGrantOwner = createPermissionRule({
  name: 'IS_GRANT_OWNER',
  description:
    'Allow grants held by one of the claims, typically the caller (user.info.ownershipEntityRefs)',
  resourceRef: grantResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the caller, such as user:default/jane'),
  }),
  apply: (grant, { claims }) => lower(claims).includes(grant.userRef),
  toQuery: ({ claims }) => ({ property: 'userRef', values: lower(claims) }),
});

const isGrantManagedBy = createPermissionRule({
  name: 'IS_MANAGED_BY',
  description:
    'Allow grants held by members of catalog groups owned by one of the claims (the group or a group below it), typically the caller (user.info.ownershipEntityRefs)',
  resourceRef: grantResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity refs of the caller and their groups; owners of a group manage its members',
      ),
  }),
  apply: (grant, { claims }) =>
    grant.managedBy.some(manager => lower(claims).includes(manager)),
  toQuery: ({ claims }) => ({ property: 'managedBy', values: lower(claims) }),
});

const hasGrantUser = createPermissionRule({
  name: 'HAS_USER',
  description: 'Allow grants held by any of the listed users',
  resourceRef: grantResourceRef,
  paramsSchema: z.object({
    userRefs: z.array(z.string()).describe('User entity refs'),
  }),
  apply: (grant, { userRefs }) => lower(userRefs).includes(grant.userRef),
  toQuery: ({ userRefs }) => ({ property: 'userRef', values: lower(userRefs) }),
});

const hasKind = createPermissionRule({
  name: 'HAS_KIND',
  description: 'Allow grants of the listed kinds',
  resourceRef: grantResourceRef,
  paramsSchema: z.object({
    kinds: z
      .array(z.enum(GRANT_KINDS))
      .describe('Grant kinds: device_admin, timed_access'),
  }),
  apply: (grant, { kinds }) => kinds.includes(grant.kind),
  toQuery: ({ kinds }) => ({ property: 'kind', values: kinds }),
});

const hasTarget = createPermissionRule({
  name: 'HAS_TARGET',
  description: 'Allow grants on the listed devices or resources',
  resourceRef: grantResourceRef,
  paramsSchema: z.object({
    targets: z.array(z.string()).describe('Device or resource names'),
  }),
  apply: (grant, { targets }) => targets.includes(grant.target),
  toQuery: ({ targets }) => ({ property: 'target', values: targets }),
});

/**
 * Every rule a policy may use in a conditional decision on grants.
 *
 * @public
 */
export const grantRules = {
  isGrantOwner,
  isGrantManagedBy,
  hasGrantUser,
  hasKind,
  hasTarget,
};

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: grantResourceRef,
  rules: grantRules,
});

/**
 * Condition builders for permission policies on grants, for example
 * `grantConditions.isGrantOwner({ claims: user.info.ownershipEntityRefs })`.
 *
 * @public
 */
export const grantConditions = conditions;

/**
 * Wraps grant conditions into a policy decision.
 *
 * @public
 */
export const createGrantConditionalDecision = createConditionalDecision;
