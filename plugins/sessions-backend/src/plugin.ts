import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { sessionsPermissions } from '@internal/plugin-sessions-common';
import { readSessionsSettings } from './config';
import { KnexSessionStore } from './database/KnexSessionStore';
import { applyDatabaseMigrations } from './database/migrations';
import { SessionAccess } from './permissions/SessionAccess';
import { sessionResourceRef, sessionRules } from './permissions/rules';
import { createRouter } from './router/createRouter';
import { IngestService } from './services/IngestService';
import { SessionService } from './services/SessionService';
import { SessionSweeper } from './services/SessionSweeper';

/**
 * Active Sessions backend: stores sessions that connectors report, lets
 * people see and end theirs, and sweeps idle and expired sessions.
 */
export const sessionsPlugin = createBackendPlugin({
  pluginId: 'sessions',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
      },
      async init(deps) {
        const { config, logger, database, httpRouter, httpAuth } = deps;
        const settings = readSessionsSettings(config);
        const store = new KnexSessionStore(
          await applyDatabaseMigrations(database),
        );

        deps.permissionsRegistry.addResourceType({
          resourceRef: sessionResourceRef,
          permissions: sessionsPermissions,
          rules: Object.values(sessionRules),
          getResources: ids => store.getSessions(ids),
        });

        const sweeper = new SessionSweeper(
          store,
          settings,
          logger,
          deps.auditor,
        );
        await deps.scheduler.scheduleTask({
          id: 'sessions-sweep',
          frequency: settings.sweepFrequency,
          timeout: { minutes: 5 },
          initialDelay: { seconds: 5 },
          scope: 'global',
          fn: async () => {
            await sweeper.run();
          },
        });

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          createRouter({
            httpAuth,
            auditor: deps.auditor,
            sessions: new SessionService(
              store,
              new SessionAccess(
                deps.permissions,
                deps.permissionsRegistry.getPermissionRuleset(
                  sessionResourceRef,
                ),
              ),
            ),
            ingest: new IngestService(store),
          }),
        );
      },
    });
  },
});
