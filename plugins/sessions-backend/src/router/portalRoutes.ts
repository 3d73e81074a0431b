import { HttpAuthService } from '@backstage/backend-plugin-api';
import { portalHeartbeatBodySchema } from '@active-sessions/plugin-sessions-common';
import Router from 'express-promise-router';
import { PortalSignInService } from '../services/PortalSignInService';
import { noInput, parseInput } from './parseInput';

/** Routes an open portal tab uses for its own sign-in. */
export function createPortalRoutes(options: {
  httpAuth: HttpAuthService;
  portal: PortalSignInService;
}) {
  const { httpAuth, portal } = options;
  const router = Router();

  router.get('/portal/status', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    noInput(req, 'query');
    res.json(await portal.status());
  });

  router.post('/portal/heartbeat', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { sid } = parseInput(portalHeartbeatBodySchema, req.body, 'body');
    res.json(await portal.heartbeat(credentials, sid));
  });

  return router;
}
