import { MfaStatus } from '@active-sessions/plugin-sessions-common';
import { HttpResponse, http } from 'msw';
import { DISCOVERY_BASE_URL, backstageError } from './fakeSessionsBackend';

const API = `${DISCOVERY_BASE_URL}/api/sessions`;

/** The code the fake accepts; any other is wrong. */
export const GOOD_CODE = '123456';
export const PROOF = 'proof-for-jane';
export const SECRET = 'JBSWY3DPEHPK3PXP';
export const RECOVERY_CODES = Array.from(
  { length: 10 },
  (_, index) => `ABCD-EFGH-${String(index).padStart(4, '0')}`,
);

/**
 * An in-memory second factor behind msw, answering like the real backend:
 * enrol, activate with the good code, verify for a proof, disable.
 */
export function fakeMfaBackend(options: { enrolled?: boolean } = {}) {
  let enrolled = options.enrolled ?? false;
  const received = { verifyBodies: [] as unknown[] };
  const status = (): MfaStatus => ({
    available: true,
    enrolled,
    recoveryCodesLeft: enrolled ? 10 : 0,
    lockedUntil: null,
    stepUp: {
      enabled: true,
      maxAgeSeconds: 300,
      actions: ['end-all-sessions', 'bulk-revoke'],
    },
  });
  const wrongCode = () =>
    backstageError(400, 'InputError', 'body.code: not a valid code');

  const handlers = [
    http.get(`${API}/mfa`, () => HttpResponse.json(status())),
    http.post(`${API}/mfa/enrol`, () =>
      HttpResponse.json({
        secret: SECRET,
        otpauthUri: `otpauth://totp/Backstage:jane?secret=${SECRET}&issuer=Backstage`,
      }),
    ),
    http.post(`${API}/mfa/activate`, async ({ request }) => {
      const { code } = (await request.json()) as { code: string };
      if (code !== GOOD_CODE) return wrongCode();
      enrolled = true;
      return HttpResponse.json({ recoveryCodes: RECOVERY_CODES });
    }),
    http.post(`${API}/mfa/verify`, async ({ request }) => {
      const body = (await request.json()) as { code?: string };
      received.verifyBodies.push(body);
      if (body.code !== GOOD_CODE) return wrongCode();
      return HttpResponse.json({
        proof: PROOF,
        expiresAt: new Date(Date.now() + 300_000).toISOString(),
      });
    }),
    http.post(`${API}/mfa/disable`, async ({ request }) => {
      const body = (await request.json()) as { code?: string };
      if (body.code !== GOOD_CODE) return wrongCode();
      enrolled = false;
      return new HttpResponse(null, { status: 204 });
    }),
  ];
  return { handlers, received };
}

/** Refuses an action without the proof, as the step-up guard does. */
export function requiresStepUp(request: Request) {
  return request.headers.get('x-sessions-step-up') === PROOF
    ? undefined
    : backstageError(
        403,
        'StepUpRequiredError',
        'Confirm with your authenticator code to end all your sessions',
      );
}
