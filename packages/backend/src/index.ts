/*
 * A runnable portal backend with the Active Sessions plugin: guest sign-in,
 * a small catalog (catalog/org.yaml) whose group owners are managers, the
 * permission framework with the example policy, and embedded SQLite.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleGroupOwners } from '@internal/plugin-sessions-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(catalogModuleGroupOwners);
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicyModule'));
backend.add(import('@internal/plugin-sessions-backend'));

backend.start();
