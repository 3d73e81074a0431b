export { sessionsApiRef } from './SessionsApi';
export type { SessionsApi } from './SessionsApi';
export { SessionsClient } from './SessionsClient';
