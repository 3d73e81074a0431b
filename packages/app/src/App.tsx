import { createApp } from '@backstage/app-defaults';
import { AppRouter, FlatRoutes } from '@backstage/core-app-api';
import { AlertDisplay, OAuthRequestDialog } from '@backstage/core-components';
import {
  ActiveSessionsPage,
  PortalSignInWatcher,
} from '@active-sessions/plugin-sessions';
import { NotificationsPage } from '@backstage/plugin-notifications';
import { SignalsDisplay } from '@backstage/plugin-signals';
import CssBaseline from '@material-ui/core/CssBaseline';
import { Navigate, Route } from 'react-router-dom';
import { apis } from './apis';
import { Root } from './components/Root';
import { PortalSignInPage } from './SignIn';

const app = createApp({
  apis,
  components: {
    // Guest sign-in, and OpenID Connect when configured (portal.signIn.oidc).
    SignInPage: PortalSignInPage,
  },
});

const routes = (
  <FlatRoutes>
    <Route path="/" element={<Navigate to="sessions" />} />
    <Route path="/sessions" element={<ActiveSessionsPage />} />
    <Route path="/notifications" element={<NotificationsPage />} />
  </FlatRoutes>
);

export default app.createRoot(
  <>
    {/* The theme provider no longer adds the baseline (body margin, font). */}
    <CssBaseline />
    <AlertDisplay />
    <OAuthRequestDialog />
    <AppRouter>
      {/* Live updates: pages hear about changes without Refresh. */}
      <SignalsDisplay />
      {/* Signs this browser out when its sign-in is ended elsewhere. */}
      <PortalSignInWatcher />
      <Root>{routes}</Root>
    </AppRouter>
  </>,
);
