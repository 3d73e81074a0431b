import { HttpAuthService } from '@backstage/backend-plugin-api';
import { SessionsCapabilities } from '@active-sessions/plugin-sessions-common';
import Router from 'express-promise-router';
import { CapabilitiesService } from '../services/CapabilitiesService';
import { noInput } from './parseInput';

/** What the page may offer the signed-in person, as the policy decides. */
export function createCapabilityRoutes(options: {
  httpAuth: HttpAuthService;
  capabilities: CapabilitiesService;
}) {
  const { httpAuth, capabilities } = options;
  const router = Router();

  router.get('/capabilities', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    noInput(req, 'query');
    const body: SessionsCapabilities = await capabilities.of(credentials);
    res.json(body);
  });

  return router;
}
