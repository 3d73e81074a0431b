import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import { sessionsPlugin } from '../plugin';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import {
  authModuleSessionsGuestProvider,
  SIGN_IN_COOKIE,
} from './authModuleSessionsGuestProvider';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

describe('the guest provider with tracked sign-ins', () => {
  it('makes each browser a portal session, and refuses its refresh once ended from Active Sessions', async () => {
    const backend = await startTestBackend({
      features: [
        authPlugin,
        authModuleSessionsGuestProvider,
        sessionsPlugin,
        policyPermissionsFactory(
          new ActiveSessionsTestPolicy('user:default/admin'),
        ),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: {
              providers: {
                guest: {
                  userEntityRef: JANE,
                  dangerouslyAllowOutsideDevelopment: true,
                },
              },
            },
          },
        }),
      ],
    });
    // Two browsers, each with its own cookie jar.
    const laptop = request.agent(backend.server);
    const phone = request.agent(backend.server);
    const signIn = async (browser: typeof laptop) => {
      const res = await browser
        .get('/api/auth/guest/refresh')
        .set('User-Agent', 'Mozilla/5.0 (Macintosh) Firefox/130.0');
      return res;
    };

    const first = await signIn(laptop);
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie'][0]).toContain(`${SIGN_IN_COOKIE}=`);
    const sid = claimsOf(first.body.backstageIdentity.token).sid;
    expect(sid).toEqual(expect.any(String));
    const other = claimsOf((await signIn(phone)).body.backstageIdentity.token);
    expect(other.sid).not.toBe(sid);

    // A refresh keeps the sign-in, and is its activity.
    const again = await signIn(laptop);
    expect(claimsOf(again.body.backstageIdentity.token).sid).toBe(sid);

    // Jane sees both sign-ins on her page, and ends the laptop's.
    const mine = await request(backend.server)
      .get('/api/sessions/sessions?type=portal')
      .set('Authorization', `Bearer ${mockCredentials.user.token(JANE)}`);
    expect(mine.body.items).toHaveLength(2);
    const laptopSession = mine.body.items.find(
      (s: any) => s.externalId === sid,
    );
    expect(laptopSession).toMatchObject({
      resourceType: 'portal',
      userAgent: 'Mozilla/5.0 (Macintosh) Firefox/130.0',
    });
    await request(backend.server)
      .post(`/api/sessions/sessions/${laptopSession.id}/end`)
      .set('Authorization', `Bearer ${mockCredentials.user.token(JANE)}`)
      .expect(200);

    // The laptop's next refresh is refused; the phone stays signed in.
    expect((await signIn(laptop)).status).toBe(401);
    expect((await signIn(phone)).status).toBe(200);
    // Signing in again on the laptop is a new sign-in.
    const renewed = await signIn(laptop);
    expect(renewed.status).toBe(200);
    expect(claimsOf(renewed.body.backstageIdentity.token).sid).not.toBe(sid);
  });
});
