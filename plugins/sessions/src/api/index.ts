export { sessionsApiRef } from './SessionsApi';
export type { SessionsApi } from './SessionsApi';
export { SessionsClient } from './SessionsClient';
export {
  StepUpBroker,
  StepUpCancelledError,
  stepUpApiRef,
} from './StepUpBroker';
export type { StepUpRequest } from './StepUpBroker';
