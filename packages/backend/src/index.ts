/*
 * A runnable portal backend with the Active Sessions plugin: guest and
 * OpenID Connect sign-in (when `auth.providers.oidc` is configured), both
 * tracked as portal sign-ins,
 * a small catalog (catalog/org.yaml) whose group owners are managers, the
 * permission framework with the example policy, the Scaffolder with the
 * sessions:offboard action, and embedded SQLite.
 */
import { createBackend } from '@backstage/backend-defaults';
import { sessionsTokenCheckServiceFactory } from '@active-sessions/plugin-sessions-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
// Guest sign-in where each browser is a portal sign-in in Active Sessions
// (instead of @backstage/plugin-auth-backend-module-guest-provider) ...
backend.add(
  import('@active-sessions/plugin-auth-backend-module-sessions-guest-provider'),
);
// OpenID Connect sign-in, tracked the same way (instead of
// @backstage/plugin-auth-backend-module-oidc-provider) ...
backend.add(import('./oidcSignInModule'));
// ... and every plugin refuses the tokens of a browser signed out there.
backend.add(sessionsTokenCheckServiceFactory);
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@active-sessions/plugin-catalog-backend-module-sessions-group-owners'),
);
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicyModule'));
backend.add(import('@active-sessions/plugin-sessions-backend'));
// Offboarding as a step of a Scaffolder template: the sessions:offboard
// action (catalog/templates/offboard.yaml is the example).
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@active-sessions/plugin-scaffolder-backend-module-sessions'),
);
// ... and the catalog reads Template entities such as that one.
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
// Live updates of the page, and idle warnings in the notifications inbox.
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));

backend.start();
