import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';

type TestApis = Parameters<typeof TestApiProvider>[0]['apis'];
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { identityApiRef } from '@backstage/core-plugin-api';
import { Route, Routes, useLocation } from 'react-router-dom';

/** The address the page is at, for tests of what it links to. */
function CurrentAddress() {
  const { pathname, search } = useLocation();
  return <output data-testid="address">{`${pathname}${search}`}</output>;
}
import {
  SessionsClient,
  StepUpBroker,
  sessionsApiRef,
  stepUpApiRef,
} from '../api';
import { ActiveSessionsPage } from '../components/ActiveSessionsPage';
import { DISCOVERY_BASE_URL } from './fakeSessionsBackend';

/**
 * Renders the page with the real API client (talking to msw) and a real
 * step-up broker, for someone the permission API answers `authorize` to.
 */
export async function renderSessionsPage(
  authorize:
    AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  /** The signed-in browser's Backstage token. */
  token?: string,
  /** More APIs, such as a signal API. */
  extraApis: TestApis = [],
  /** The address the page is opened at, such as a notification's link. */
  path = '/sessions',
) {
  const stepUp = new StepUpBroker();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [stepUpApiRef, stepUp],
        [
          sessionsApiRef,
          new SessionsClient({
            discoveryApi: mockApis.discovery({ baseUrl: DISCOVERY_BASE_URL }),
            fetchApi: new MockFetchApi(),
            stepUp,
          }),
        ],
        [permissionApiRef, mockApis.permission({ authorize })],
        [
          identityApiRef,
          mockApis.identity({ token, userEntityRef: 'user:default/jane.doe' }),
        ],
        ...extraApis,
      ]}
    >
      {/* Mounted at /sessions as in an app: its tabs are paths below. */}
      <Routes>
        <Route path="/sessions/*" element={<ActiveSessionsPage />} />
      </Routes>
      <CurrentAddress />
    </TestApiProvider>,
    { routeEntries: [path] },
  );
  return { stepUp };
}
