import { HttpAuthService } from '@backstage/backend-plugin-api';
import Router from 'express-promise-router';
import { ConnectorRegistryService } from '../services/ConnectorRegistryService';
import { noInput } from './parseInput';

/** The connector registry, for people allowed to watch the connectors. */
export function createRegistryRoutes(options: {
  httpAuth: HttpAuthService;
  registry: ConnectorRegistryService;
}) {
  const { httpAuth, registry } = options;
  const router = Router();

  router.get('/connectors', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    noInput(req, 'query');
    res.json({ items: await registry.list(credentials) });
  });

  return router;
}
