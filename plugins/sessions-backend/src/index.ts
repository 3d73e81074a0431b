/**
 * Backend plugin for Active Sessions.
 *
 * Permission rules and condition builders for policies live in
 * `@active-sessions/plugin-sessions-node`.
 *
 * @packageDocumentation
 */
export { sessionsPlugin as default } from './plugin';
export { sessionsTokenCheckServiceFactory } from './portal/sessionsTokenCheckServiceFactory';
