export { ActiveSessionsPage } from './ActiveSessionsPage';
