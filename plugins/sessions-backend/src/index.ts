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
export type { SessionFilter, SessionCriteria } from './database/SessionStore';
