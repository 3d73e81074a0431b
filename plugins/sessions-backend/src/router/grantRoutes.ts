import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import {
  grantIdSchema,
  listGrantsQuerySchema,
  revokeGrantsBodySchema,
} from '@active-sessions/plugin-sessions-common';
import Router from 'express-promise-router';
import { z } from 'zod';
import { GrantService } from '../services/GrantService';
import { audited } from './audited';
import { noInput, parseInput } from './parseInput';
import { stepUpProof } from './stepUpProof';

const idParams = z.object({ id: grantIdSchema });

/** Routes for people: their elevated grants, revoking and giving back. */
export function createGrantRoutes(options: {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  grants: GrantService;
}) {
  const { httpAuth, auditor, grants } = options;
  const router = Router();
  const userCredentials = (
    req: Parameters<HttpAuthService['credentials']>[0],
  ) => httpAuth.credentials(req, { allow: ['user'] });

  router.get('/grants', async (req, res) => {
    const credentials = await userCredentials(req);
    const query = parseInput(listGrantsQuerySchema, req.query, 'query');
    res.json(await grants.list(credentials, query));
  });

  router.get('/grants/stats', async (req, res) => {
    const credentials = await userCredentials(req);
    noInput(req, 'query');
    res.json(await grants.stats(credentials));
  });

  router.post('/grants/revoke', async (req, res) => {
    const credentials = await userCredentials(req);
    const { ids } = parseInput(revokeGrantsBodySchema, req.body, 'body');
    const result = await audited(
      auditor,
      {
        eventId: 'grant-revoke',
        severityLevel: 'high',
        request: req,
        meta: { actionType: 'revoke-many', grantIds: ids },
      },
      () => grants.revokeMany(credentials, ids, stepUpProof(req)),
      outcome => ({ results: outcome.results }),
    );
    res.json(result);
  });

  router.get('/grants/:id', async (req, res) => {
    const credentials = await userCredentials(req);
    const { id } = parseInput(idParams, req.params, 'params');
    noInput(req, 'query');
    res.json(await grants.get(credentials, id));
  });

  router.post('/grants/:id/revoke', async (req, res) => {
    const credentials = await userCredentials(req);
    const { id } = parseInput(idParams, req.params, 'params');
    noInput(req, 'body');
    const { grant } = await audited(
      auditor,
      {
        eventId: 'grant-revoke',
        severityLevel: 'high',
        request: req,
        meta: { actionType: 'revoke-one', grantId: id },
      },
      () => grants.revokeOne(credentials, id, stepUpProof(req)),
      result => ({
        userRef: result.grant.userRef,
        status: result.grant.status,
        revoked: result.revoked,
      }),
    );
    res.json(grant);
  });

  router.post('/grants/:id/give-back', async (req, res) => {
    const credentials = await userCredentials(req);
    const { id } = parseInput(idParams, req.params, 'params');
    noInput(req, 'body');
    const { grant } = await audited(
      auditor,
      {
        eventId: 'grant-revoke',
        severityLevel: 'medium',
        request: req,
        meta: { actionType: 'give-back', grantId: id },
      },
      () => grants.giveBack(credentials, id),
      result => ({ status: result.grant.status, revoked: result.revoked }),
    );
    res.json(grant);
  });

  return router;
}
