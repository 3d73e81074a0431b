import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import {
  endAllSessionsBodySchema,
  EndSessionsResult,
  listSessionsQuerySchema,
  personalTimeoutsBodySchema,
  reportSessionBodySchema,
  sessionStatsQuerySchema,
  sessionIdSchema,
  SessionsSettingsInfo,
} from '@active-sessions/plugin-sessions-common';
import { SessionsSettings } from '../config';
import Router from 'express-promise-router';
import { z } from 'zod';
import { SessionService } from '../services/SessionService';
import { PersonalTimeoutsService } from '../services/PersonalTimeoutsService';
import { audited } from './audited';
import { noInput, parseInput } from './parseInput';
import { stepUpProof } from './stepUpProof';

const idParams = z.object({ id: sessionIdSchema });

/** Routes for people in the portal: their sessions and what they may do. */
export function createUserRoutes(options: {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  sessions: SessionService;
  settings: SessionsSettings;
  timeouts: PersonalTimeoutsService;
}) {
  const { httpAuth, auditor, sessions, settings, timeouts } = options;
  const router = Router();
  const userCredentials = (
    req: Parameters<HttpAuthService['credentials']>[0],
  ) => httpAuth.credentials(req, { allow: ['user'] });

  router.get('/sessions', async (req, res) => {
    const credentials = await userCredentials(req);
    const query = parseInput(listSessionsQuerySchema, req.query, 'query');
    res.json(await sessions.list(credentials, query));
  });

  router.get('/sessions/stats', async (req, res) => {
    const credentials = await userCredentials(req);
    const scope = parseInput(sessionStatsQuerySchema, req.query, 'query');
    res.json(await sessions.stats(credentials, scope));
  });

  router.post('/sessions/end-all', async (req, res) => {
    const credentials = await userCredentials(req);
    const { exceptId, source } = parseInput(
      endAllSessionsBodySchema,
      req.body,
      'body',
    );
    const ended = await audited(
      auditor,
      {
        eventId: 'session-end',
        severityLevel: 'medium',
        request: req,
        meta: {
          actionType: 'end-all',
          exceptId: exceptId ?? null,
          source: source ?? null,
        },
      },
      () =>
        sessions.endAll(credentials, { exceptId, source }, stepUpProof(req)),
      result => ({ sessionIds: result.map(session => session.id) }),
    );
    const body: EndSessionsResult = { ended: ended.map(session => session.id) };
    res.json(body);
  });

  router.get('/settings', async (req, res) => {
    const credentials = await userCredentials(req);
    noInput(req, 'query');
    const { limits } = settings;
    const body: SessionsSettingsInfo = {
      limits: {
        maxPerUser: limits?.maxPerUser ?? null,
        perType: limits?.perType ?? {},
        onExceed: limits?.onExceed ?? 'deny',
      },
      timeouts: await timeouts.timeoutsOf(credentials),
      idleWarning: { message: settings.idleWarningMessage },
    };
    res.json(body);
  });

  // The caller's own idle and disconnect times, within the portal's ranges.
  router.put('/settings/timeouts', async (req, res) => {
    const credentials = await userCredentials(req);
    const chosen = parseInput(personalTimeoutsBodySchema, req.body, 'body');
    const body = await audited(
      auditor,
      {
        eventId: 'personal-timeouts',
        severityLevel: 'low',
        request: req,
        meta: { actionType: 'choose', ...chosen },
      },
      () => timeouts.choose(credentials, chosen),
      applied => ({ warnAfterMs: applied.warnAfterMs }),
    );
    res.json(body);
  });

  router.delete('/settings/timeouts', async (req, res) => {
    const credentials = await userCredentials(req);
    noInput(req, 'query', 'body');
    const body = await audited(
      auditor,
      {
        eventId: 'personal-timeouts',
        severityLevel: 'low',
        request: req,
        meta: { actionType: 'reset' },
      },
      () => timeouts.reset(credentials),
      applied => ({
        idleAfterMs: applied.idleAfterMs,
        disconnectAfterMs: applied.disconnectAfterMs,
      }),
    );
    res.json(body);
  });

  router.get('/sessions/:id', async (req, res) => {
    const credentials = await userCredentials(req);
    const { id } = parseInput(idParams, req.params, 'params');
    noInput(req, 'query');
    res.json(await sessions.get(credentials, id));
  });

  router.post('/sessions/:id/end', async (req, res) => {
    const credentials = await userCredentials(req);
    const { id } = parseInput(idParams, req.params, 'params');
    noInput(req, 'body');
    const { session } = await audited(
      auditor,
      {
        eventId: 'session-end',
        severityLevel: 'medium',
        request: req,
        meta: { actionType: 'end-one', sessionId: id },
      },
      () => sessions.endOne(credentials, id, stepUpProof(req)),
      result => ({
        userRef: result.session.userRef,
        status: result.session.status,
        ended: result.ended,
      }),
    );
    res.json(session);
  });

  router.post('/sessions/:id/report', async (req, res) => {
    const credentials = await userCredentials(req);
    const { id } = parseInput(idParams, req.params, 'params');
    const { note, endOthers, exceptId } = parseInput(
      reportSessionBodySchema,
      req.body,
      'body',
    );
    const { session } = await audited(
      auditor,
      {
        eventId: 'session-report',
        severityLevel: 'high',
        request: req,
        meta: {
          sessionId: id,
          endOthers: endOthers ?? false,
          exceptId: exceptId ?? null,
        },
      },
      () =>
        sessions.report(
          credentials,
          id,
          { note, endOthers, exceptId },
          stepUpProof(req),
        ),
      result => ({
        userRef: result.session.userRef,
        resourceName: result.session.resourceName,
        resourceType: result.session.resourceType,
        // False: reported before; the first report stands.
        reported: result.reported,
        status: result.session.status,
        endedOthers: result.endedOthers,
      }),
    );
    res.json(session);
  });

  return router;
}
