import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  portalHeartbeatBodySchema,
  signInCodeBodySchema,
} from '@active-sessions/plugin-sessions-common';
import { SignInSecondFactorService } from '../services/SignInSecondFactorService';
import Router from 'express-promise-router';
import { PortalSignInService } from '../services/PortalSignInService';
import { noInput, parseInput } from './parseInput';

/** Routes an open portal tab uses for its own sign-in. */
export function createPortalRoutes(options: {
  httpAuth: HttpAuthService;
  portal: PortalSignInService;
  signInSecondFactor: SignInSecondFactorService;
}) {
  const { httpAuth, portal, signInSecondFactor } = options;
  const router = Router();

  router.get('/portal/status', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    noInput(req, 'query');
    res.json(await portal.status());
  });

  router.post('/portal/heartbeat', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { sid, active } = parseInput(
      portalHeartbeatBodySchema,
      req.body,
      'body',
    );
    res.json(await portal.heartbeat(credentials, sid, active));
  });

  // The code screen: the sign-in this tab holds gives its code.
  router.post('/portal/second-factor', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { sid, ...factor } = parseInput(
      signInCodeBodySchema,
      req.body,
      'body',
    );
    await signInSecondFactor.verify(credentials, sid, factor);
    res.status(204).end();
  });

  return router;
}
