import {
  AuditorService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express, { RequestHandler } from 'express';
import { MfaService } from '../mfa/MfaService';
import { CapabilitiesService } from '../services/CapabilitiesService';
import { CommandFeedService } from '../services/CommandFeedService';
import { ConnectorIdentity } from '../services/ConnectorIdentity';
import { ConnectorRegistryService } from '../services/ConnectorRegistryService';
import { GrantIngestService } from '../services/GrantIngestService';
import { GrantService } from '../services/GrantService';
import { IngestService } from '../services/IngestService';
import { OffboardService } from '../services/OffboardService';
import { SessionService } from '../services/SessionService';
import { createCapabilityRoutes } from './capabilityRoutes';
import { createConnectorRoutes } from './connectorRoutes';
import { createGrantRoutes } from './grantRoutes';
import { createMfaRoutes } from './mfaRoutes';
import { createOffboardRoutes } from './offboardRoutes';
import { createRegistryRoutes } from './registryRoutes';
import { createUserRoutes } from './userRoutes';
import { createPortalRoutes } from './portalRoutes';
import { SessionsSettings } from '../config';
import { PortalSignInService } from '../services/PortalSignInService';
import { SignInSecondFactorService } from '../services/SignInSecondFactorService';
import { refuseAwaitingCode } from './awaitingCode';
import { PersonalTimeoutsService } from '../services/PersonalTimeoutsService';
import { spec } from '../schema/openapi.generated';
import { createSpecRouter } from './contractCheck';

const parseBody = express.json({ limit: '2mb' });

/** A body that is not JSON, or too large, is bad input naming the body. */
const jsonBody: RequestHandler = (req, res, next) => {
  parseBody(req, res, (error?: any) => {
    if (error?.type === 'entity.parse.failed') {
      next(new InputError('Invalid request body: not valid JSON'));
    } else if (error?.type === 'entity.too.large') {
      next(new InputError('Invalid request body: larger than 2 MB'));
    } else {
      next(error);
    }
  });
};

/** The plugin's HTTP API, mounted at `/api/sessions`. */
export function createRouter(options: {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  sessions: SessionService;
  ingest: IngestService;
  grants: GrantService;
  grantIngest: GrantIngestService;
  commandFeed: CommandFeedService;
  connectorIdentity: ConnectorIdentity;
  registry: ConnectorRegistryService;
  mfa: MfaService;
  offboarding: OffboardService;
  portal: PortalSignInService;
  signInSecondFactor: SignInSecondFactorService;
  capabilities: CapabilitiesService;
  settings: SessionsSettings;
  timeouts: PersonalTimeoutsService;
  logger?: LoggerService;
}) {
  const router = createSpecRouter(spec, {
    bodyParser: jsonBody,
    checkContract: options.settings.checkApiContract,
    logger: options.logger,
  });
  router.use(refuseAwaitingCode);
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.use(createUserRoutes(options));
  router.use(createGrantRoutes(options));
  router.use(createCapabilityRoutes(options));
  router.use(createConnectorRoutes(options));
  router.use(createRegistryRoutes(options));
  router.use(createMfaRoutes(options));
  router.use(createOffboardRoutes(options));
  router.use(createPortalRoutes(options));
  return router;
}
