/**
 * Node library for Active Sessions: what permission policies and other
 * backend modules import — the permission resource refs, rules and
 * condition builders, and the pieces to track portal sign-ins in any
 * auth provider.
 *
 * @packageDocumentation
 */
export type {
  PropertyFilter,
  SessionFilter,
  SessionCriteria,
  GrantFilter,
  GrantCriteria,
  UserFilter,
} from './permissions/filters';
export {
  sessionConditions,
  createSessionConditionalDecision,
  sessionRules,
  sessionResourceRef,
} from './permissions/sessionRules';
export type { SessionResource } from './permissions/sessionRules';
export {
  grantConditions,
  createGrantConditionalDecision,
  grantRules,
  grantResourceRef,
} from './permissions/grantRules';
export type { GrantResource } from './permissions/grantRules';
export {
  userConditions,
  createUserConditionalDecision,
  userRules,
  userResourceRef,
  userMatches,
} from './permissions/userRules';
export type { SessionsUser } from './permissions/userRules';
export {
  trackPortalSignIns,
  SIGN_IN_COOKIE,
  DEVICE_COOKIE,
} from './portal/trackPortalSignIns';
export { PortalSessions } from './portal/PortalSessions';
export { tokenProof, SIGNED_OUT_MESSAGE } from './portal/tokenProof';
export { readWhenUnavailable } from './portal/whenUnavailable';
export type { WhenUnavailable } from './portal/whenUnavailable';
