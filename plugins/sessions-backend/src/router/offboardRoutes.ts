import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  entityRefSchema,
  offboardBodySchema,
  peopleQuerySchema,
} from '@active-sessions/plugin-sessions-common';
import Router from 'express-promise-router';
import { z } from 'zod';
import { OffboardService } from '../services/OffboardService';
import { noInput, parseInput } from './parseInput';
import { stepUpProof } from './stepUpProof';

const lockParams = z.object({ userRef: entityRefSchema });

/** Offboarding leavers, and the locks it leaves behind. */
export function createOffboardRoutes(options: {
  httpAuth: HttpAuthService;
  offboarding: OffboardService;
}) {
  const { httpAuth, offboarding } = options;
  const router = Router();
  const userCredentials = (
    req: Parameters<HttpAuthService['credentials']>[0],
  ) => httpAuth.credentials(req, { allow: ['user'] });

  router.get('/people', async (req, res) => {
    const credentials = await userCredentials(req);
    const { q, limit } = parseInput(peopleQuerySchema, req.query, 'query');
    res.json({
      items: await offboarding.people(credentials, q || undefined, limit),
    });
  });

  router.post('/offboard/preview', async (req, res) => {
    const credentials = await userCredentials(req);
    const { users } = parseInput(offboardBodySchema, req.body, 'body');
    res.json({ items: await offboarding.preview(credentials, users) });
  });

  router.post('/offboard', async (req, res) => {
    const credentials = await userCredentials(req);
    const { users } = parseInput(offboardBodySchema, req.body, 'body');
    res.json({
      results: await offboarding.offboard(credentials, users, stepUpProof(req)),
    });
  });

  router.get('/locks', async (req, res) => {
    const credentials = await userCredentials(req);
    noInput(req, 'query');
    res.json({ items: await offboarding.listLocks(credentials) });
  });

  router.delete('/locks/:userRef', async (req, res) => {
    const credentials = await userCredentials(req);
    const { userRef } = parseInput(lockParams, req.params, 'params');
    noInput(req, 'query', 'body');
    await offboarding.unlock(credentials, userRef, stepUpProof(req));
    res.status(204).end();
  });

  return router;
}
