import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  PORTAL_SOURCE,
  connectorReadPermission,
  grantPermissions,
  personalTimeoutsUpdatePermission,
  sessionsPermissions,
  userLockPermission,
  userOffboardPermission,
  userUnlockPermission,
} from '@active-sessions/plugin-sessions-common';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { KnexManagedMembersStore } from './database/KnexManagedMembersStore';
import { ManagedMembersSync } from './services/ManagedMembersSync';
import { withManagers } from './permissions/withManagers';
import {
  userResourceRef,
  userRules,
  grantResourceRef,
  grantRules,
  sessionResourceRef,
  sessionRules,
} from '@active-sessions/plugin-sessions-node';
import { readPortalSettings, readSessionsSettings } from './config';
import { KnexSignOutStore } from './database/KnexSignOutStore';
import { KnexRetentionStore } from './database/KnexRetentionStore';
import { GeoLocator } from './geo/GeoLocator';
import { HistoryRetention } from './services/HistoryRetention';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { IdleWarnings } from './services/IdleWarnings';
import { KnexIdleWarningStore } from './database/KnexIdleWarningStore';
import { AnomalyAlerts } from './services/AnomalyAlerts';
import { ReportAlerts } from './services/ReportAlerts';
import { AnomalyDetector } from './services/AnomalyDetector';
import { KnexUserHistoryStore } from './database/KnexUserHistoryStore';
import { KnexChangeStore } from './database/KnexChangeStore';
import { ChangeSignals } from './services/ChangeSignals';
import { SignOutSync } from './portal/SignOutSync';
import { signOutRegistryServiceRef } from './portal/signOutRegistry';
import { PortalSignInService } from './services/PortalSignInService';
import { KnexCommandStore } from './database/KnexCommandStore';
import { KnexConnectorStore } from './database/KnexConnectorStore';
import { KnexGrantStore } from './database/KnexGrantStore';
import { KnexMfaStore } from './database/KnexMfaStore';
import { KnexUserLockStore } from './database/KnexUserLockStore';
import { OffboardService } from './services/OffboardService';
import { SignInSecondFactorService } from './services/SignInSecondFactorService';
import { KnexSignInChallengeStore } from './database/KnexSignInChallengeStore';
import { MfaService } from './mfa/MfaService';
import { StepUpGuard } from './mfa/StepUpGuard';
import { KnexSessionStore } from './database/KnexSessionStore';
import { applyDatabaseMigrations } from './database/migrations';
import { ResourceAccess } from './permissions/ResourceAccess';
import { createRouter } from './router/createRouter';
import { CommandFeedService } from './services/CommandFeedService';
import {
  ConnectorIdentity,
  PORTAL_SUBJECT,
} from './services/ConnectorIdentity';
import { ConnectorRegistryService } from './services/ConnectorRegistryService';
import { GrantExpirySweeper } from './services/GrantExpirySweeper';
import { GrantIngestService } from './services/GrantIngestService';
import { GrantService } from './services/GrantService';
import { IngestService } from './services/IngestService';
import { OrderBell } from './services/OrderBell';
import { OrderWebhookPusher } from './services/OrderWebhookPusher';
import { SessionService } from './services/SessionService';
import { CapabilitiesService } from './services/CapabilitiesService';
import { SessionSweeper } from './services/SessionSweeper';
import { PersonalTimeoutsService } from './services/PersonalTimeoutsService';
import { KnexPersonalTimeoutStore } from './database/KnexPersonalTimeoutStore';

const IDLE_WARNINGS_TASK = 'sessions-idle-warnings';

/**
 * Active Sessions backend: stores sessions that connectors report, lets
 * people see and end theirs, and sweeps idle and expired sessions.
 *
 * @public
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
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        signOuts: signOutRegistryServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, database, httpRouter, httpAuth } = deps;
        const settings = readSessionsSettings(config);
        const db = await applyDatabaseMigrations(database, logger);
        // Orders written by this process wake the feed reads waiting here.
        const orderBell = new OrderBell();
        const cutOptions = {
          confirmWithinMs: settings.confirmWithinMs,
          onOrdered: () => orderBell.ring(),
        };
        const store = new KnexSessionStore(db, cutOptions);
        const geo = settings.geo.enabled
          ? await GeoLocator.open(settings.geo.database)
          : undefined;
        const grantStore = new KnexGrantStore(db, cutOptions);

        const commandStore = new KnexCommandStore(db);
        const connectorStore = new KnexConnectorStore(db);
        const locks = new KnexUserLockStore(db);
        const managedMembers = new KnexManagedMembersStore(db);
        deps.permissionsRegistry.addPermissions([
          connectorReadPermission,
          userOffboardPermission,
          personalTimeoutsUpdatePermission,
        ]);
        deps.permissionsRegistry.addResourceType({
          resourceRef: sessionResourceRef,
          permissions: sessionsPermissions,
          rules: Object.values(sessionRules),
          getResources: async ids =>
            withManagers(ids, await store.getSessions(ids), managedMembers),
        });
        deps.permissionsRegistry.addResourceType({
          resourceRef: grantResourceRef,
          permissions: grantPermissions,
          rules: Object.values(grantRules),
          getResources: async ids =>
            withManagers(
              ids,
              await grantStore.findGrants({ ids }),
              managedMembers,
            ),
        });
        deps.permissionsRegistry.addResourceType({
          resourceRef: userResourceRef,
          permissions: [userLockPermission, userUnlockPermission],
          rules: Object.values(userRules),
          getResources: async userRefs => {
            const managers = await managedMembers.managersOf(userRefs);
            return userRefs.map(userRef => ({
              userRef,
              managedBy: managers.get(userRef) ?? [],
            }));
          },
        });

        const anomalyAlerts = new AnomalyAlerts(deps.notifications, logger);
        const timeouts = new PersonalTimeoutsService({
          store: new KnexPersonalTimeoutStore(db),
          settings,
          permissions: deps.permissions,
        });
        const idleWarnings = new IdleWarnings({
          store: new KnexIdleWarningStore(db),
          notifications: deps.notifications,
          message: settings.idleWarningMessage,
          disconnectAfterMs: settings.disconnectAfterMs,
          chosenDisconnectAfter: userRefs =>
            timeouts.chosenDisconnectAfter(userRefs),
          logger,
        });
        const sweeper = new SessionSweeper(
          store,
          settings,
          logger,
          deps.auditor,
          Date.now,
          // Sent by their own task, not inside the sweep's claim: start it.
          () => {
            Promise.resolve()
              .then(() => deps.scheduler.triggerTask(IDLE_WARNINGS_TASK))
              .catch(() => {
                // Running already: it reads what this sweep owes too.
              });
          },
        );
        await deps.scheduler.scheduleTask({
          id: 'sessions-sweep',
          frequency: settings.sweepFrequency,
          // Also how long a claim the scheduler could not release (the
          // database failed as a run ended) keeps every replica from it.
          timeout: { minutes: 1 },
          initialDelay: { seconds: 5 },
          scope: 'global',
          fn: async () => {
            await sweeper.run();
          },
        });

        // The warnings sweeps owe, one notification per person, from the
        // database; on a schedule too, so none waits on a lost trigger.
        await deps.scheduler.scheduleTask({
          id: IDLE_WARNINGS_TASK,
          frequency: { seconds: 30 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 10 },
          scope: 'global',
          fn: async () => {
            // Ends its run before the claim does; the next goes on.
            await idleWarnings.run(Date.now() + 4 * 60_000);
          },
        });

        // Everyone's stats read running totals; fold their deltas often.
        await deps.scheduler.scheduleTask({
          id: 'sessions-fold-totals',
          frequency: { seconds: 10 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 3 },
          scope: 'global',
          fn: async () => {
            await store.foldTotals();
          },
        });

        const retention = new HistoryRetention({
          store: new KnexRetentionStore(db),
          retentionMs: settings.retentionMs,
          logger,
        });
        await deps.scheduler.scheduleTask({
          id: 'sessions-retention',
          frequency: { hours: 1 },
          timeout: { minutes: 30 },
          initialDelay: { minutes: 1 },
          scope: 'global',
          fn: async () => {
            await retention.run();
          },
        });

        const grantSweeper = new GrantExpirySweeper(grantStore, logger);
        await deps.scheduler.scheduleTask({
          id: 'sessions-grant-expiry',
          frequency: settings.sweepFrequency,
          // Also how long a claim the scheduler could not release (the
          // database failed as a run ended) keeps every replica from it.
          timeout: { minutes: 1 },
          initialDelay: { seconds: 5 },
          scope: 'global',
          fn: async () => {
            await grantSweeper.run();
          },
        });

        if (settings.managers.enabled) {
          const managersSync = new ManagedMembersSync({
            catalog: deps.catalog,
            auth: deps.auth,
            store: managedMembers,
            logger,
          });
          await deps.scheduler.scheduleTask({
            id: 'sessions-managers-from-catalog',
            frequency: settings.managers.syncFrequency,
            timeout: { minutes: 5 },
            initialDelay: { seconds: 10 },
            scope: 'global',
            fn: async () => {
              await managersSync.run();
            },
          });
        }

        // Open pages update themselves: every replica looks each second,
        // one of them publishes each batch of changes.
        const changeSignals = new ChangeSignals({
          store: new KnexChangeStore(db),
          managers: managedMembers,
          signals: deps.signals,
          logger,
        });
        await deps.scheduler.scheduleTask({
          id: 'sessions-change-signals',
          frequency: { seconds: 1 },
          timeout: { minutes: 1 },
          scope: 'local',
          fn: () => changeSignals.run(),
        });

        const mfa = new MfaService({
          store: new KnexMfaStore(db),
          mfa: settings.mfa,
          stepUp: settings.stepUp,
          auditor: deps.auditor,
        });
        const stepUp = new StepUpGuard(settings.stepUp, mfa);

        // Every process refreshes its own sign-out list: `local` tasks.
        const portalSettings = readPortalSettings(config);
        const commandFeed = new CommandFeedService(
          commandStore,
          connectorStore,
          orderBell,
        );
        const signOuts = new KnexSignOutStore(db);
        const signOutSync = new SignOutSync({
          store: signOuts,
          registry: deps.signOuts,
          orders: commandFeed,
          tokenLifetimeMs: portalSettings.tokenLifetimeMs,
          logger,
        });
        await signOutSync.run();
        await deps.scheduler.scheduleTask({
          id: 'sessions-portal-sign-outs',
          frequency: { milliseconds: portalSettings.refreshMs },
          timeout: { minutes: 1 },
          scope: 'local',
          fn: () => signOutSync.run(),
        });

        const pusher = new OrderWebhookPusher({
          connectors: settings.connectors,
          commands: commandStore,
          registry: connectorStore,
          logger,
          bell: orderBell,
        });
        deps.lifecycle.addStartupHook(() => pusher.start());
        deps.lifecycle.addShutdownHook(() => pusher.stop());

        const sessionAccess = new ResourceAccess(
          deps.permissions,
          deps.permissionsRegistry.getPermissionRuleset(sessionResourceRef),
          settings.permissionCacheTtlMs,
        );
        const grantAccess = new ResourceAccess(
          deps.permissions,
          deps.permissionsRegistry.getPermissionRuleset(grantResourceRef),
          settings.permissionCacheTtlMs,
        );
        const userAccess = new ResourceAccess(
          deps.permissions,
          deps.permissionsRegistry.getPermissionRuleset(userResourceRef),
          settings.permissionCacheTtlMs,
        );

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          createRouter({
            httpAuth,
            logger,
            auditor: deps.auditor,
            sessions: new SessionService(
              store,
              sessionAccess,
              stepUp,
              Date.now,
              new ReportAlerts({
                notifications: deps.notifications,
                recipients: settings.reports.notify,
                logger,
              }),
            ),
            ingest: new IngestService({
              store,
              locks,
              geo,
              limits: settings.limits,
              anomalies: {
                detector: new AnomalyDetector(
                  new KnexUserHistoryStore(db),
                  settings.anomaly,
                ),
                alert: flagged => anomalyAlerts.send(flagged),
              },
            }),
            grants: new GrantService(grantStore, grantAccess, stepUp),
            capabilities: new CapabilitiesService({
              sessionAccess,
              grantAccess,
              managedMembers,
            }),
            grantIngest: new GrantIngestService(grantStore, locks),
            commandFeed,
            connectorIdentity: new ConnectorIdentity({
              connectors: settings.connectors,
              store: connectorStore,
            }),
            settings,
            timeouts,
            portal: new PortalSignInService({
              store,
              signOuts,
              auth: deps.auth,
              refreshMs: portalSettings.refreshMs,
              heartbeatMs: portalSettings.heartbeatMs,
            }),
            registry: new ConnectorRegistryService({
              store: connectorStore,
              permissions: deps.permissions,
              // The built-in `portal` connector is this plugin's sign-out
              // sync; list it like the others.
              connectors: [
                ...settings.connectors,
                ...(settings.connectors.some(c => c.id === PORTAL_SOURCE)
                  ? []
                  : [
                      {
                        id: PORTAL_SOURCE,
                        title: 'Portal sign-ins (built in)',
                        subjects: [PORTAL_SUBJECT],
                      },
                    ]),
              ],
              offlineAfterMs: settings.offlineAfterMs,
            }),
            mfa,
            signInSecondFactor: new SignInSecondFactorService({
              store: new KnexSignInChallengeStore(db),
              mfa,
              settings: settings.signIn,
              auditor: deps.auditor,
            }),
            offboarding: new OffboardService({
              sessions: store,
              grants: grantStore,
              locks,
              sessionAccess,
              grantAccess,
              userAccess,
              managedMembers,
              permissions: deps.permissions,
              auditor: deps.auditor,
              stepUp,
            }),
          }),
        );
      },
    });
  },
});
