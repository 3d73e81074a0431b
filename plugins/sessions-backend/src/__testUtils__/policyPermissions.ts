import {
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';

/**
 * A permissions service that asks `policy` directly, as the permission
 * backend would, for callers that are users whose only ownership claim is
 * themselves plus `groups[userRef]`. Mock auth cannot mint the on-behalf-of
 * tokens that conditional queries to the permission backend require.
 */
export function policyPermissionsFactory(
  policy: PermissionPolicy,
  groups: Record<string, string[]> = {},
) {
  const decide = async (
    permission: any,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> => {
    const principal = credentials.principal as BackstageUserPrincipal;
    if (principal.type !== 'user') {
      return { result: AuthorizeResult.ALLOW };
    }
    const userEntityRef = principal.userEntityRef;
    const ownershipEntityRefs = [
      userEntityRef,
      ...(groups[userEntityRef] ?? []),
    ];
    return policy.handle(
      { permission },
      { info: { userEntityRef, ownershipEntityRefs }, credentials },
    );
  };
  const service: PermissionsService = {
    async authorizeConditional(requests, { credentials }) {
      return Promise.all(
        requests.map(({ permission }) => decide(permission, credentials)),
      ) as any;
    },
    async authorize(requests, { credentials }) {
      return Promise.all(
        requests.map(async ({ permission }) => {
          const decision = await decide(permission, credentials);
          if (decision.result === AuthorizeResult.CONDITIONAL) {
            throw new Error('test permissions: conditional authorize');
          }
          return { result: decision.result };
        }),
      ) as any;
    },
  };
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => service,
  });
}
