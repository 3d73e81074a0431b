import {
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import sessionsPlugin from '@active-sessions/plugin-sessions-backend';

/** The sources the tests report for: SSH, RDP and a privilege broker. */
const SOURCES = ['bastion', 'rdp-gateway', 'priv-broker'];

/**
 * Asks `policy` as the permission backend would, for users whose ownership
 * claims are themselves plus `groups[userRef]`. (Mock auth cannot mint the
 * on-behalf-of tokens the real permission backend needs for conditional
 * decisions; the decisions and the rules they name are the real ones.)
 */
function permissionsFrom(
  policy: PermissionPolicy,
  groups: Record<string, string[]>,
) {
  const decide = (
    permission: any,
    credentials: any,
  ): Promise<PolicyDecision> => {
    const principal = credentials.principal as BackstageUserPrincipal;
    if (principal.type !== 'user') {
      return Promise.resolve({ result: AuthorizeResult.ALLOW });
    }
    const { userEntityRef } = principal;
    return policy.handle(
      { permission },
      {
        info: {
          userEntityRef,
          ownershipEntityRefs: [
            userEntityRef,
            ...(groups[userEntityRef] ?? []),
          ],
        },
        credentials,
      },
    );
  };
  const service: PermissionsService = {
    authorizeConditional: async (requests, { credentials }) =>
      Promise.all(
        requests.map(({ permission }) => decide(permission, credentials)),
      ) as any,
    authorize: async (requests, { credentials }) =>
      Promise.all(
        requests.map(async ({ permission }) => {
          const { result } = await decide(permission, credentials);
          if (result === AuthorizeResult.CONDITIONAL) {
            throw new Error('a basic permission got a conditional decision');
          }
          return { result };
        }),
      ) as any,
  };
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => service,
  });
}

/**
 * The sessions plugin on `knex` under `policy`, and how people and
 * connectors call it.
 */
export async function sessionsWithPolicy(options: {
  knex: Knex;
  policy: PermissionPolicy;
  groups: Record<string, string[]>;
  sessions?: JsonObject;
}) {
  const { server } = await startTestBackend({
    features: [
      sessionsPlugin,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({
        data: {
          sessions: {
            ...options.sessions,
            connectors: {
              sources: Object.fromEntries(
                SOURCES.map(id => [
                  id,
                  { subjects: ['external:test-service'] },
                ]),
              ),
            },
          },
        },
      }),
      permissionsFrom(options.policy, options.groups),
    ],
  });
  const connector = (path: string, body: object) =>
    request(server)
      .post(`/api/sessions/connector/${path}`)
      .set('Authorization', `Bearer ${mockCredentials.service.token()}`)
      .send(body);
  const as = (userRef: string, method: 'get' | 'post', path: string) =>
    request(server)
      [method](`/api/sessions${path}`)
      .set('Authorization', `Bearer ${mockCredentials.user.token(userRef)}`);
  return { connector, as };
}
