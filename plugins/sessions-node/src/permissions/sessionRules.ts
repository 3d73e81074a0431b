import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  RESOURCE_TYPES,
  SESSION_RESOURCE_TYPE,
  SESSION_STATUSES,
  Session,
} from '@active-sessions/plugin-sessions-common';
import { z } from 'zod';
import { SessionFilter } from './filters';

/**
 * A session as permission rules see it: with its user's managers from the
 * catalog mirror, so IS_MANAGED_BY can decide on one loaded session too.
 *
 * @public
 */
export type SessionResource = Session & { managedBy: string[] };

/**
 * The `session` resource type, with the store's filter as its query.
 *
 * @public
 */
export const sessionResourceRef = createPermissionResourceRef<
  SessionResource,
  SessionFilter
>().with({ pluginId: 'sessions', resourceType: SESSION_RESOURCE_TYPE });

const lower = (values: string[]) =>
  values.map(value => value.toLocaleLowerCase('en-US'));

const isSessionOwner = createPermissionRule({
  name: 'IS_SESSION_OWNER',
  description:
    'Allow sessions whose user is one of the claims, typically the caller (user.info.ownershipEntityRefs)',
  resourceRef: sessionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the caller, such as user:default/jane'),
  }),
  apply: (session, { claims }) => lower(claims).includes(session.userRef),
  toQuery: ({ claims }) => ({ property: 'userRef', values: lower(claims) }),
});

const isManagedBy = createPermissionRule({
  name: 'IS_MANAGED_BY',
  description:
    'Allow sessions of members of catalog groups owned by one of the claims (the group or a group below it), typically the caller (user.info.ownershipEntityRefs)',
  resourceRef: sessionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity refs of the caller and their groups; owners of a group manage its members',
      ),
  }),
  apply: (session, { claims }) =>
    session.managedBy.some(manager => lower(claims).includes(manager)),
  toQuery: ({ claims }) => ({ property: 'managedBy', values: lower(claims) }),
});

const hasUser = createPermissionRule({
  name: 'HAS_USER',
  description: 'Allow sessions of any of the listed users',
  resourceRef: sessionResourceRef,
  paramsSchema: z.object({
    userRefs: z.array(z.string()).describe('User entity refs'),
  }),
  apply: (session, { userRefs }) => lower(userRefs).includes(session.userRef),
  toQuery: ({ userRefs }) => ({ property: 'userRef', values: lower(userRefs) }),
});

const hasResourceType = createPermissionRule({
  name: 'HAS_RESOURCE_TYPE',
  description: 'Allow sessions on the listed kinds of resource',
  resourceRef: sessionResourceRef,
  paramsSchema: z.object({
    resourceTypes: z
      .array(z.enum(RESOURCE_TYPES))
      .describe('Resource types: ssh, rdp, web, portal'),
  }),
  apply: (session, { resourceTypes }) =>
    resourceTypes.includes(session.resourceType),
  toQuery: ({ resourceTypes }) => ({
    property: 'resourceType',
    values: resourceTypes,
  }),
});

const hasStatus = createPermissionRule({
  name: 'HAS_STATUS',
  description: 'Allow sessions in the listed statuses',
  resourceRef: sessionResourceRef,
  paramsSchema: z.object({
    statuses: z
      .array(z.enum(SESSION_STATUSES))
      .describe('Statuses: active, idle, terminating, disconnected'),
  }),
  apply: (session, { statuses }) => statuses.includes(session.status),
  toQuery: ({ statuses }) => ({ property: 'status', values: statuses }),
});

const hasSource = createPermissionRule({
  name: 'HAS_SOURCE',
  description: 'Allow sessions reported by the listed connectors',
  resourceRef: sessionResourceRef,
  paramsSchema: z.object({
    sources: z.array(z.string()).describe('Connector ids'),
  }),
  apply: (session, { sources }) => sources.includes(session.source),
  toQuery: ({ sources }) => ({ property: 'source', values: sources }),
});

/**
 * Every rule a policy may use in a conditional decision on sessions.
 *
 * @public
 */
export const sessionRules = {
  isSessionOwner,
  isManagedBy,
  hasUser,
  hasResourceType,
  hasStatus,
  hasSource,
};

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: sessionResourceRef,
  rules: sessionRules,
});

/**
 * Condition builders for permission policies, for example
 * `sessionConditions.isSessionOwner({ claims: user.info.ownershipEntityRefs })`.
 *
 * @public
 */
export const sessionConditions = conditions;

/**
 * Wraps session conditions into a policy decision.
 *
 * @public
 */
export const createSessionConditionalDecision = createConditionalDecision;
