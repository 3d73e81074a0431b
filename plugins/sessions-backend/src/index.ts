/**
 * Backend plugin for Active Sessions.
 *
 * @packageDocumentation
 */
export { sessionsPlugin as default } from './plugin';
export {
  sessionConditions,
  createSessionConditionalDecision,
  sessionRules,
  sessionResourceRef,
} from './permissions/rules';
export {
  grantConditions,
  createGrantConditionalDecision,
  grantRules,
  grantResourceRef,
} from './permissions/grantRules';
export type { SessionFilter, SessionCriteria } from './database/SessionStore';
export type { GrantFilter, GrantCriteria } from './database/GrantStore';
export {
  userConditions,
  createUserConditionalDecision,
  userRules,
  userResourceRef,
} from './permissions/userRules';
export type { SessionsUser, UserFilter } from './permissions/userRules';
export type { SessionResource } from './permissions/rules';
export type { GrantResource } from './permissions/grantRules';
export { catalogModuleGroupOwners } from './catalog/catalogModuleGroupOwners';
export { GroupOwnerProcessor } from './catalog/GroupOwnerProcessor';
export { authModuleSessionsGuestProvider } from './portal/authModuleSessionsGuestProvider';
export {
  trackPortalSignIns,
  SIGN_IN_COOKIE,
} from './portal/trackPortalSignIns';
export { sessionsTokenCheckServiceFactory } from './portal/sessionsTokenCheckServiceFactory';
export {
  signOutRegistryServiceRef,
  SignOutRegistry,
} from './portal/signOutRegistry';
export { PortalSessions } from './portal/PortalSessions';
