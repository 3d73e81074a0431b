import {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  commandAckBatchSchema,
  commandFeedQuerySchema,
  grantEndBatchSchema,
  grantReportBatchSchema,
  PORTAL_SOURCE,
  portalSecondFactorQuerySchema,
  portalTokenProofSchema,
  sessionActivityBatchSchema,
  sessionEndBatchSchema,
  sessionRecordingBatchSchema,
  sessionStartBatchSchema,
} from '@active-sessions/plugin-sessions-common';
import { Request, Response } from 'express';
import Router from 'express-promise-router';
import { CommandFeedService } from '../services/CommandFeedService';
import {
  ConnectorCapability,
  ConnectorIdentity,
} from '../services/ConnectorIdentity';
import { GrantIngestService } from '../services/GrantIngestService';
import { IngestService } from '../services/IngestService';
import { PortalSignInService } from '../services/PortalSignInService';
import { SignInSecondFactorService } from '../services/SignInSecondFactorService';
import { audited } from './audited';
import { parseInput } from './parseInput';

/**
 * Routes for connectors: gateways, bastions and proxies report what happens
 * at their end. Only service credentials (for example a static
 * `backend.auth.externalAccess` token) bound to the source they name are
 * accepted; input is checked first, so a refusal can name the source.
 */
export function createConnectorRoutes(options: {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  ingest: IngestService;
  grantIngest: GrantIngestService;
  commandFeed: CommandFeedService;
  connectorIdentity: ConnectorIdentity;
  portal: PortalSignInService;
  signInSecondFactor: SignInSecondFactorService;
  logger?: LoggerService;
}) {
  const {
    httpAuth,
    auditor,
    ingest,
    grantIngest,
    commandFeed,
    portal,
    signInSecondFactor,
  } = options;
  const router = Router();

  /** The caller's service credentials, refused unless bound to `source`. */
  async function speakingFor(
    req: Request,
    res: Response,
    credentials: BackstageCredentials<BackstageServicePrincipal>,
    source: string,
    capability: ConnectorCapability,
  ) {
    try {
      await options.connectorIdentity.authorize(
        credentials,
        source,
        capability,
      );
    } catch (error) {
      // A credential reaching for another source is worth a security look.
      const event = await auditor.createEvent({
        eventId: 'connector-refused',
        severityLevel: 'high',
        request: req,
        meta: { source, subject: credentials.principal.subject, capability },
      });
      await event.fail({ error: error as Error });
      throw error;
    }
    // Who spoke for the source, once the call succeeded: nothing is written
    // for a request that fails.
    res.once('finish', () => {
      if (res.statusCode >= 400) return;
      options.connectorIdentity
        .remember(source, credentials.principal.subject)
        .catch(error =>
          options.logger?.warn(
            `Could not record who spoke for ${source}: ${error}`,
          ),
        );
    });
  }

  router.post('/connector/sessions/start', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    const batch = parseInput(sessionStartBatchSchema, req.body, 'body');
    await speakingFor(req, res, credentials, batch.source, 'sessions');
    res.json(await ingest.start(batch));
  });

  router.post('/connector/sessions/activity', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    const batch = parseInput(sessionActivityBatchSchema, req.body, 'body');
    await speakingFor(req, res, credentials, batch.source, 'sessions');
    res.json(await ingest.activity(batch));
  });

  router.post('/connector/sessions/recording', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    const batch = parseInput(sessionRecordingBatchSchema, req.body, 'body');
    await speakingFor(req, res, credentials, batch.source, 'recordings');
    res.json(await ingest.record(batch));
  });

  router.post('/connector/sessions/end', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    const batch = parseInput(sessionEndBatchSchema, req.body, 'body');
    await speakingFor(req, res, credentials, batch.source, 'sessions');
    const result = await audited(
      auditor,
      {
        eventId: 'session-end',
        severityLevel: 'low',
        request: req,
        meta: {
          actionType: 'connector-end',
          source: batch.source,
          externalIds: batch.sessions.map(item => item.externalId),
        },
      },
      () => ingest.end(batch),
      outcome => ({ ended: outcome.accepted, unknown: outcome.unknown }),
    );
    res.json(result);
  });

  // A token the auth plugin issued for a portal sign-in: its limited
  // tokens carry no sid, and are cut by this record when the sign-in ends.
  router.post('/connector/portal/tokens', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    const token = parseInput(portalTokenProofSchema, req.body, 'body');
    await speakingFor(req, res, credentials, PORTAL_SOURCE, 'sessions');
    await portal.recordToken(token);
    res.status(204).end();
  });

  // Whether a portal sign-in waits for its code, as the auth plugin issues
  // its token (and decides it, for a new sign-in).
  router.post('/connector/portal/second-factor', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    const query = parseInput(portalSecondFactorQuerySchema, req.body, 'body');
    await speakingFor(req, res, credentials, PORTAL_SOURCE, 'sessions');
    res.json(await signInSecondFactor.state(query));
  });

  router.post('/connector/grants/report', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    const batch = parseInput(grantReportBatchSchema, req.body, 'body');
    await speakingFor(req, res, credentials, batch.source, 'grants');
    res.json(await grantIngest.report(batch));
  });

  router.post('/connector/grants/end', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    const batch = parseInput(grantEndBatchSchema, req.body, 'body');
    await speakingFor(req, res, credentials, batch.source, 'grants');
    const result = await audited(
      auditor,
      {
        eventId: 'grant-revoke',
        severityLevel: 'low',
        request: req,
        meta: {
          actionType: 'ended-at-source',
          source: batch.source,
          externalIds: batch.grants.map(item => item.externalId),
        },
      },
      () => grantIngest.end(batch),
      outcome => ({ ended: outcome.accepted, unknown: outcome.unknown }),
    );
    res.json(result);
  });

  router.get('/connector/commands', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    const query = parseInput(commandFeedQuerySchema, req.query, 'query');
    await speakingFor(req, res, credentials, query.source, 'orders');
    // Stop waiting when the connector hangs up.
    const hangUp = new AbortController();
    req.on('close', () => hangUp.abort());
    res.json(await commandFeed.read(query, hangUp.signal));
  });

  router.post('/connector/commands/ack', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    const batch = parseInput(commandAckBatchSchema, req.body, 'body');
    await speakingFor(req, res, credentials, batch.source, 'orders');
    res.json(await commandFeed.acknowledge(batch));
  });

  return router;
}
