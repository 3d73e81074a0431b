import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  canonicalEntityRef,
  mfaCodeBodySchema,
  secondFactorBodySchema,
} from '@active-sessions/plugin-sessions-common';
import Router from 'express-promise-router';
import { MfaService } from '../mfa/MfaService';
import { noInput, parseInput } from './parseInput';

/** The caller's own second factor: enrol, verify (step up), disable. */
export function createMfaRoutes(options: {
  httpAuth: HttpAuthService;
  mfa: MfaService;
}) {
  const { httpAuth, mfa } = options;
  const router = Router();
  // The enrolment is keyed by the canonical ref, whatever case the token has.
  const caller = async (req: Parameters<HttpAuthService['credentials']>[0]) => {
    const { principal } = await httpAuth.credentials(req, { allow: ['user'] });
    return {
      ...principal,
      userEntityRef: canonicalEntityRef(principal.userEntityRef),
    };
  };

  router.get('/mfa', async (req, res) => {
    const user = await caller(req);
    noInput(req, 'query');
    res.json(await mfa.status(user));
  });

  router.post('/mfa/enrol', async (req, res) => {
    const user = await caller(req);
    noInput(req, 'body');
    res.json(await mfa.startEnrolment(user));
  });

  router.post('/mfa/activate', async (req, res) => {
    const user = await caller(req);
    const { code } = parseInput(mfaCodeBodySchema, req.body, 'body');
    res.json(await mfa.activate(user, code));
  });

  router.post('/mfa/verify', async (req, res) => {
    const user = await caller(req);
    const factor = parseInput(secondFactorBodySchema, req.body, 'body');
    res.json(await mfa.verify(user, factor));
  });

  // Needs a current or recovery code itself: that is its step-up.
  router.post('/mfa/disable', async (req, res) => {
    const user = await caller(req);
    const factor = parseInput(secondFactorBodySchema, req.body, 'body');
    await mfa.disable(user, factor);
    res.status(204).end();
  });

  return router;
}
