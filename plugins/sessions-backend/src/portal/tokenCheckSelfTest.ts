import { AuthService } from '@backstage/backend-plugin-api';
import { SIGNED_OUT_MESSAGE } from '@active-sessions/plugin-sessions-node';
import { SELF_TEST_SID } from './signOutRegistry';

const segment = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Whether signing out a portal sign-in really cuts its tokens here: hands
 * the auth service a user token whose sign-in the registry always treats
 * as ended. Only the token check refuses it with the sign-out message;
 * without the check, signature verification refuses it for another reason.
 */
export async function tokenCheckIsInstalled(auth: AuthService) {
  const now = Math.floor(Date.now() / 1000);
  const probe = [
    segment({ typ: 'vnd.backstage.user', alg: 'ES256', kid: 'self-test' }),
    segment({
      sub: 'user:default/active-sessions-self-test',
      sid: SELF_TEST_SID,
      iat: now,
      exp: now + 60,
    }),
    'c2VsZi10ZXN0',
  ].join('.');
  try {
    await auth.authenticate(probe);
    return false;
  } catch (error) {
    return error instanceof Error && error.message === SIGNED_OUT_MESSAGE;
  }
}
