/**
 * The Active Sessions frontend plugin: who has access right now, from where,
 * and how to cut it.
 *
 * @packageDocumentation
 */
export {
  sessionsPlugin,
  ActiveSessionsPage,
  EntityAccessHeldCard,
  EntityTeamAccessCard,
} from './plugin';
export { PortalSignInWatcher } from './components/PortalSignIns/PortalSignInWatcher';
export {
  sessionsApiRef,
  SessionsClient,
  StepUpBroker,
  stepUpApiRef,
} from './api';
export type { SessionsApi, StepUpRequest } from './api';
export type {
  AccessGrant,
  EndReason,
  EndSessionsResult,
  GrantKind,
  GrantPage,
  GrantRevokeOutcome,
  GrantRevokeReason,
  GrantRevokeResult,
  GrantStatus,
  ListGrantsRequest,
  ListSessionsRequest,
  ResourceType,
  Session,
  SessionPage,
  SessionStats,
  SessionStatus,
} from '@active-sessions/plugin-sessions-common';
