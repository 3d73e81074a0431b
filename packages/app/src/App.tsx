import { createApp } from '@backstage/app-defaults';
import { AppRouter, FlatRoutes } from '@backstage/core-app-api';
import { AlertDisplay, OAuthRequestDialog } from '@backstage/core-components';
import {
  ActiveSessionsPage,
  PortalSignInWatcher,
} from '@active-sessions/plugin-sessions';
import {
  CatalogEntityPage,
  CatalogIndexPage,
  catalogPlugin,
} from '@backstage/plugin-catalog';
import { NotificationsPage } from '@backstage/plugin-notifications';
import { orgPlugin } from '@backstage/plugin-org';
import { ScaffolderPage, scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { SignalsDisplay } from '@backstage/plugin-signals';
import CssBaseline from '@material-ui/core/CssBaseline';
import { Navigate, Route } from 'react-router-dom';
import { apis } from './apis';
import { entityPage } from './components/catalog/EntityPage';
import { Root } from './components/Root';
import { PortalSignInPage } from './SignIn';

const app = createApp({
  apis,
  components: {
    // Guest sign-in, and OpenID Connect when configured (portal.signIn.oidc).
    SignInPage: PortalSignInPage,
  },
  bindRoutes({ bind }) {
    bind(catalogPlugin.externalRoutes, {
      createComponent: scaffolderPlugin.routes.root,
    });
    bind(scaffolderPlugin.externalRoutes, {
      registerComponent: catalogPlugin.routes.catalogIndex,
    });
    bind(orgPlugin.externalRoutes, {
      catalogIndex: catalogPlugin.routes.catalogIndex,
    });
  },
});

const routes = (
  <FlatRoutes>
    <Route path="/" element={<Navigate to="sessions" />} />
    <Route path="/sessions" element={<ActiveSessionsPage />} />
    <Route path="/notifications" element={<NotificationsPage />} />
    {/* People and teams, with the access each holds (catalog/org.yaml). */}
    <Route path="/catalog" element={<CatalogIndexPage />} />
    <Route
      path="/catalog/:namespace/:kind/:name"
      element={<CatalogEntityPage />}
    >
      {entityPage}
    </Route>
    {/* Templates, such as offboarding (catalog/templates). */}
    <Route path="/create" element={<ScaffolderPage />} />
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
