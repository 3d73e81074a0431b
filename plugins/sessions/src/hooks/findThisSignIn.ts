import { IdentityApi } from '@backstage/core-plugin-api';
import { Session } from '@active-sessions/plugin-sessions-common';
import { SessionsApi } from '../api';
import { openSignIns } from '../components/PortalSignIns/portalSignInLists';
import { signInIdOf } from './signInIdOf';

/**
 * This browser's own portal sign-in among the caller's sessions, if the
 * portal tracks sign-ins: what "end all" must leave open.
 */
export async function findThisSignIn(
  identityApi: IdentityApi,
  sessionsApi: SessionsApi,
): Promise<Session | undefined> {
  const sid = signInIdOf((await identityApi.getCredentials()).token);
  if (!sid) return undefined;
  const { items } = await sessionsApi.listSessions(openSignIns);
  return items.find(signIn => signIn.externalId === sid);
}
