import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import {
  commandAckBatchSchema,
  commandFeedQuerySchema,
  grantEndBatchSchema,
  grantReportBatchSchema,
  sessionActivityBatchSchema,
  sessionEndBatchSchema,
  sessionRecordingBatchSchema,
  sessionStartBatchSchema,
} from '@internal/plugin-sessions-common';
import Router from 'express-promise-router';
import { CommandFeedService } from '../services/CommandFeedService';
import { GrantIngestService } from '../services/GrantIngestService';
import { IngestService } from '../services/IngestService';
import { audited } from './audited';
import { parseInput } from './parseInput';

/**
 * Routes for connectors: gateways, bastions and proxies report what happens
 * at their end. Only service credentials (for example a static
 * `backend.auth.externalAccess` token) are accepted.
 */
export function createConnectorRoutes(options: {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  ingest: IngestService;
  grantIngest: GrantIngestService;
  commandFeed: CommandFeedService;
}) {
  const { httpAuth, auditor, ingest, grantIngest, commandFeed } = options;
  const router = Router();

  router.post('/connector/sessions/start', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const batch = parseInput(sessionStartBatchSchema, req.body, 'body');
    res.json(await ingest.start(batch));
  });

  router.post('/connector/sessions/activity', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const batch = parseInput(sessionActivityBatchSchema, req.body, 'body');
    res.json(await ingest.activity(batch));
  });

  router.post('/connector/sessions/recording', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const batch = parseInput(sessionRecordingBatchSchema, req.body, 'body');
    res.json(await ingest.record(batch));
  });

  router.post('/connector/sessions/end', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const batch = parseInput(sessionEndBatchSchema, req.body, 'body');
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

  router.post('/connector/grants/report', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const batch = parseInput(grantReportBatchSchema, req.body, 'body');
    res.json(await grantIngest.report(batch));
  });

  router.post('/connector/grants/end', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const batch = parseInput(grantEndBatchSchema, req.body, 'body');
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
    await httpAuth.credentials(req, { allow: ['service'] });
    const query = parseInput(commandFeedQuerySchema, req.query, 'query');
    // Stop waiting when the connector hangs up.
    const hangUp = new AbortController();
    req.on('close', () => hangUp.abort());
    res.json(await commandFeed.read(query, hangUp.signal));
  });

  router.post('/connector/commands/ack', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const batch = parseInput(commandAckBatchSchema, req.body, 'body');
    res.json(await commandFeed.acknowledge(batch));
  });

  return router;
}
