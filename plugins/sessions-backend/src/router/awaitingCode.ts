import { AuthenticationError } from '@backstage/errors';
import {
  AWAITING_CODE_CLAIM,
  AWAITING_CODE_MESSAGE,
} from '@active-sessions/plugin-sessions-common';
import { RequestHandler } from 'express';
import { decodeJwt } from 'jose';

/** What the code screen needs while its sign-in waits for the code. */
const CODE_SCREEN_ROUTES = new Set([
  'GET /portal/status',
  'POST /portal/heartbeat',
  'POST /portal/second-factor',
]);

/**
 * Refuses a token issued while its sign-in waits for its code on every
 * route but the code screen's. Other plugins refuse such tokens in their
 * token check (`sessionsTokenCheckServiceFactory`); this plugin lets them
 * through there, for these routes, and refuses them here.
 */
export const refuseAwaitingCode: RequestHandler = (req, _res, next) => {
  const header = req.get('authorization');
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (token && !CODE_SCREEN_ROUTES.has(`${req.method} ${req.path}`)) {
    let awaiting = false;
    try {
      awaiting = decodeJwt(token)[AWAITING_CODE_CLAIM] === true;
    } catch {
      // Not a JWT: the token check refuses it.
    }
    if (awaiting) {
      next(new AuthenticationError(AWAITING_CODE_MESSAGE));
      return;
    }
  }
  next();
};
