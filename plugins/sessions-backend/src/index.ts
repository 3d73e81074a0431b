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
