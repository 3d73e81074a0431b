import request from 'supertest';
import { CONNECTOR, as } from './credentials';

const HOUR = 3_600_000;

/**
 * Calls a started test backend the way connectors and people do: sessions
 * on `bastion`, grants on `priv-broker`, user calls with a user token.
 */
export function offboardClient(app: any) {
  const connector = (path: string, body: object) =>
    request(app)
      .post(`/api/sessions/connector/${path}`)
      .set('Authorization', CONNECTOR)
      .send(body);
  const asUser = (
    userRef: string,
    method: 'get' | 'post' | 'delete',
    path: string,
  ) =>
    request(app)
      [method](`/api/sessions${path}`)
      .set('Authorization', as(userRef));
  return {
    asUser,
    /** Starts ssh sessions: [externalId, userRef, resourceName]. */
    startSessions: (items: Array<[string, string, string]>) =>
      connector('sessions/start', {
        source: 'bastion',
        sessions: items.map(([externalId, userRef, resourceName]) => ({
          externalId,
          userRef,
          resourceName,
          resourceType: 'ssh',
        })),
      }),
    /** Reports grants: [externalId, userRef, kind], an hour long. */
    reportGrants: (items: Array<[string, string, string]>) =>
      connector('grants/report', {
        source: 'priv-broker',
        grants: items.map(([externalId, userRef, kind]) => ({
          externalId,
          kind,
          userRef,
          target: `target-${externalId}`,
          targetType: 'device',
          expiresAt: new Date(Date.now() + HOUR).toISOString(),
        })),
      }),
    /** Open sessions of a user, as `viewer` may see them. */
    openOf: async (userRef: string, viewer: string) =>
      (
        await asUser(
          viewer,
          'get',
          `/sessions?status=active,idle&user=${encodeURIComponent(userRef)}`,
        )
      ).body.items as any[],
    /** Active grants of a user, as `viewer` may see them. */
    activeGrantsOf: async (userRef: string, viewer: string) =>
      (
        await asUser(
          viewer,
          'get',
          `/grants?status=active&user=${encodeURIComponent(userRef)}`,
        )
      ).body.items as any[],
    /** A connector's order feed from the start. */
    feed: async (source: string) =>
      (
        await request(app)
          .get(`/api/sessions/connector/commands?source=${source}&after=0`)
          .set('Authorization', CONNECTOR)
      ).body.commands as any[],
  };
}
