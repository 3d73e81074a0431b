/**
 * A scaffolder backend module with the action `sessions:offboard`: offboard
 * people in Active Sessions as a step of a template.
 *
 * @packageDocumentation
 */
export { scaffolderModuleSessions as default } from './module';
export {
  createSessionsOffboardAction,
  OFFBOARD_ACTION_ID,
} from './actions/offboard';
