/**
 * The guest sign-in provider with every sign-in tracked in Active Sessions.
 *
 * @packageDocumentation
 */
export { authModuleSessionsGuestProvider as default } from './module';
