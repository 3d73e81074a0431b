import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import {
  SessionsClient,
  StepUpBroker,
  sessionsApiRef,
  stepUpApiRef,
} from '../../api';
import {
  GOOD_CODE,
  fakeMfaBackend,
  requiresStepUp,
} from '../../__testUtils__/fakeMfaBackend';
import {
  DISCOVERY_BASE_URL,
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import {
  fakeGrantsBackend,
  makeGrant,
} from '../../__testUtils__/fakeGrantsBackend';
import { EntityAccessHeldCard } from './EntityAccessHeldCard';
import { EntityTeamAccessCard } from './EntityTeamAccessCard';

const server = setupServer();
registerMswTestHooks(server);

const API = `${DISCOVERY_BASE_URL}/api/sessions`;
const MARIA = 'user:default/maria.manager';
const JANE = 'user:default/jane.doe';
const SAM = 'user:default/sam.lee';
const BOB = 'user:default/bob';

const jane: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  // Entity refs compare case-insensitively: the card asks in lower case.
  kind: 'User',
  metadata: { name: 'Jane.Doe', namespace: 'default' },
  spec: { memberOf: ['platform'] },
};

const group = (
  name: string,
  members: string[],
  children: string[] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children },
  relations: [
    ...members.map(targetRef => ({ type: 'hasMember', targetRef })),
    ...children.map(child => ({
      type: 'parentOf',
      targetRef: `group:default/${child}`,
    })),
  ],
});

/** Maria may do everything but what `deny` names, per permission and id. */
function policy(deny: Array<{ name: string; resourceRef?: string }> = []) {
  return (request: EvaluatePermissionRequest) =>
    deny.some(
      rule =>
        rule.name === request.permission.name &&
        (!rule.resourceRef || rule.resourceRef === request.resourceRef),
    )
      ? AuthorizeResult.DENY
      : AuthorizeResult.ALLOW;
}

async function renderCard(
  entity: Entity,
  card: ReactNode,
  options: {
    deny?: Array<{ name: string; resourceRef?: string }>;
    catalog?: Entity[];
  } = {},
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
        [
          permissionApiRef,
          mockApis.permission({ authorize: policy(options.deny) }),
        ],
        [identityApiRef, mockApis.identity({ userEntityRef: MARIA })],
        [
          catalogApiRef,
          new InMemoryCatalogClient({ entities: options.catalog ?? [] }),
        ],
      ]}
    >
      {/* Each test's policy afresh: usePermission caches answers in SWR. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>{card}</EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** Offboarding behind msw: a preview per person, and what was asked. */
function serveOffboarding(options: { outside?: string[] } = {}) {
  const previews: string[][] = [];
  const offboarded: string[][] = [];
  const proofs: Array<string | null> = [];
  server.use(
    http.post(`${API}/offboard/preview`, async ({ request }) => {
      const { users } = (await request.json()) as { users: string[] };
      previews.push(users);
      return HttpResponse.json({
        items: users.map(userRef => ({
          userRef,
          locked: false,
          mayOffboard: !options.outside?.includes(userRef),
          sessions:
            userRef === JANE
              ? [
                  {
                    resourceName: 'bastion-prod-2',
                    resourceType: 'ssh',
                    count: 2,
                  },
                ]
              : [],
          grants: userRef === JANE ? [{ kind: 'device_admin', count: 1 }] : [],
        })),
      });
    }),
    http.post(`${API}/offboard`, async ({ request }) => {
      proofs.push(request.headers.get('x-sessions-step-up'));
      const refused = requiresStepUp(request);
      if (refused) return refused;
      const { users } = (await request.json()) as { users: string[] };
      offboarded.push(users);
      return HttpResponse.json({
        results: users.map(userRef => ({
          userRef,
          locked: true,
          endedSessions: [{ id: 's-1', resourceName: 'bastion-prod-2' }],
          revokedGrants: [
            { id: 'g-1', kind: 'device_admin', target: 'lnx-gpu-02' },
          ],
          notAllowed: { sessions: 0, grants: 0 },
        })),
      });
    }),
    ...fakeMfaBackend({ enrolled: true }).handlers,
  );
  return { previews, offboarded, proofs };
}

describe('Access held (User pages)', () => {
  function serveJane() {
    const sessions = fakeSessionsBackend([
      makeSession({ id: 's-1', userRef: JANE, resourceName: 'bastion-prod-2' }),
      makeSession({ id: 's-2', userRef: JANE, resourceName: 'build-agent-9' }),
      makeSession({ id: 's-3', userRef: BOB, resourceName: 'bobs-box' }),
    ]);
    const grants = fakeGrantsBackend(
      [
        makeGrant({ id: 'g-1', userRef: JANE, target: 'lnx-gpu-02' }),
        makeGrant({ id: 'g-2', userRef: JANE, target: 'win-build-1' }),
      ],
      { callerRef: MARIA },
    );
    server.use(...sessions.handlers, ...grants.handlers);
    return { sessions, grants };
  }

  it("lists the person's open sessions and grants, with End and Revoke only where the policy allows", async () => {
    const { sessions, grants } = serveJane();
    await renderCard(jane, <EntityAccessHeldCard />, {
      deny: [
        { name: 'sessions.session.terminate', resourceRef: 's-2' },
        { name: 'sessions.grant.revoke', resourceRef: 'g-2' },
      ],
    });

    expect(await screen.findByText('bastion-prod-2')).toBeInTheDocument();
    expect(screen.getByText('build-agent-9')).toBeInTheDocument();
    expect(screen.queryByText('bobs-box')).not.toBeInTheDocument();
    expect(screen.getByText('Open sessions (2)')).toBeInTheDocument();
    expect(screen.getByText('Active grants (2)')).toBeInTheDocument();
    expect(sessions.received.listQueries[0].get('user')).toBe(JANE);
    expect(grants.received.listQueries[0].get('user')).toBe(JANE);

    expect(
      await screen.findByRole('button', {
        name: 'End session on bastion-prod-2',
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Revoke grant on lnx-gpu-02' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'End session on build-agent-9' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Revoke grant on win-build-1' }),
    ).not.toBeInTheDocument();
  });

  it("ends one of the person's sessions, naming whose it is", async () => {
    const { sessions } = serveJane();
    await renderCard(jane, <EntityAccessHeldCard />);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'End session on bastion-prod-2',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'End this session?',
    });
    expect(dialog).toHaveTextContent(
      "jane.doe's SSH session on bastion-prod-2",
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'End session' }),
    );
    await waitFor(() => expect(sessions.received.endedIds).toEqual(['s-1']));
    // Reloaded: the session waits for its connector to confirm the cut.
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'End session on bastion-prod-2' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('revokes a grant the policy lets the viewer revoke', async () => {
    const { grants } = serveJane();
    await renderCard(jane, <EntityAccessHeldCard />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Revoke grant on lnx-gpu-02' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Revoke this grant?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke grant' }),
    );
    await waitFor(() => expect(grants.received.revokedIds).toEqual(['g-1']));
  });

  it('offboards the person after a preview and a step-up', async () => {
    serveJane();
    const { previews, offboarded, proofs } = serveOffboarding();
    await renderCard(jane, <EntityAccessHeldCard />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Offboard' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Offboard this person?',
    });
    expect(
      await within(dialog).findByText('bastion-prod-2 × 2', { exact: false }),
    ).toBeInTheDocument();
    expect(previews).toEqual([[JANE]]);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Offboard' }),
    );

    // The offboarding asks for a code; the card brings its own dialog.
    const stepUp = await screen.findByRole('dialog', {
      name: "Confirm it's you",
    });
    await userEvent.type(within(stepUp).getByRole('textbox'), GOOD_CODE);
    await userEvent.click(
      within(stepUp).getByRole('button', { name: 'Verify' }),
    );

    expect(
      await screen.findByLabelText(`Offboarded ${JANE}`),
    ).toHaveTextContent(
      'locked; ended 1 sessions (bastion-prod-2); revoked 1 grants (lnx-gpu-02)',
    );
    expect(offboarded).toEqual([[JANE]]);
    expect(proofs).toHaveLength(2);
    expect(proofs[0]).toBeNull();
  });

  it('offers no Offboard to a viewer the policy does not let offboard', async () => {
    serveJane();
    await renderCard(jane, <EntityAccessHeldCard />, {
      deny: [{ name: 'sessions.user.offboard' }],
    });
    expect(await screen.findByText('bastion-prod-2')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Offboard' }),
    ).not.toBeInTheDocument();
  });

  it('offers no Offboard for a person the viewer may not lock', async () => {
    serveJane();
    await renderCard(jane, <EntityAccessHeldCard />, {
      deny: [{ name: 'sessions.user.lock', resourceRef: JANE }],
    });
    expect(await screen.findByText('bastion-prod-2')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Offboard' }),
    ).not.toBeInTheDocument();
  });

  it("offers no Offboard on the viewer's own page", async () => {
    serveJane();
    const maria: Entity = {
      ...jane,
      metadata: { name: 'maria.manager', namespace: 'default' },
    };
    await renderCard(maria, <EntityAccessHeldCard />);
    expect(await screen.findByText('Open sessions (0)')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Offboard' }),
    ).not.toBeInTheDocument();
  });

  it('says so when the backend cannot be reached', async () => {
    server.use(
      http.get(`${API}/sessions`, () => HttpResponse.error()),
      http.get(`${API}/grants`, () => HttpResponse.json({ items: [] })),
    );
    await renderCard(jane, <EntityAccessHeldCard />);
    expect(
      await screen.findByText('Could not load the access this person holds', {
        exact: false,
      }),
    ).toBeInTheDocument();
  });
});

describe('Team access (Group pages)', () => {
  const engineering = group('engineering', [MARIA], ['platform', 'payments']);
  const platform = group('platform', [JANE]);
  const payments = group('payments', [SAM]);

  it("lists each member's holdings, with the teams below, and offboards those ticked", async () => {
    const { previews, offboarded } = serveOffboarding({ outside: [MARIA] });
    await renderCard(engineering, <EntityTeamAccessCard />, {
      catalog: [platform, payments],
    });

    await screen.findByText('jane.doe');
    const table = screen.getByRole('table');
    expect(within(table).getByText('sam.lee')).toBeInTheDocument();
    expect(within(table).getByText('maria.manager')).toBeInTheDocument();
    expect(previews).toEqual([[JANE, MARIA, SAM]]);
    expect(within(table).getByText('bastion-prod-2 × 2')).toBeInTheDocument();
    expect(within(table).getByText('Device Admin × 1')).toBeInTheDocument();
    // Maria is outside her own scope: no tick for her.
    expect(screen.queryByLabelText(`Select ${MARIA}`)).not.toBeInTheDocument();

    const offboard = screen.getByRole('button', {
      name: 'Offboard selected (0)',
    });
    expect(offboard).toBeDisabled();
    await userEvent.click(screen.getByLabelText(`Select ${JANE}`));
    await userEvent.click(
      screen.getByRole('button', { name: 'Offboard selected (1)' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Offboard this person?',
    });
    await within(dialog).findByText(JANE);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Offboard' }),
    );
    const stepUp = await screen.findByRole('dialog', {
      name: "Confirm it's you",
    });
    await userEvent.type(within(stepUp).getByRole('textbox'), GOOD_CODE);
    await userEvent.click(
      within(stepUp).getByRole('button', { name: 'Verify' }),
    );

    expect(
      await screen.findByLabelText(`Offboarded ${JANE}`),
    ).toBeInTheDocument();
    expect(offboarded).toEqual([[JANE]]);
  });

  it('shows only direct members with sub-teams switched off', async () => {
    const { previews } = serveOffboarding();
    await renderCard(engineering, <EntityTeamAccessCard />, {
      catalog: [platform, payments],
    });
    await screen.findByText('jane.doe');
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Include sub-teams' }),
    );
    await waitFor(() =>
      expect(screen.queryByText('jane.doe')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('maria.manager')).toBeInTheDocument();
    expect(previews.at(-1)).toEqual([MARIA]);
  });

  it('offboards at most 50 people at once, as the API takes them', async () => {
    const { previews } = serveOffboarding();
    const many = Array.from(
      { length: 51 },
      (_, i) => `user:default/person-${String(i).padStart(2, '0')}`,
    );
    await renderCard(group('big-team', many), <EntityTeamAccessCard />);
    await screen.findByText('person-50');
    // Two previews: 50 and 1.
    expect(previews.map(chunk => chunk.length)).toEqual([50, 1]);
    await userEvent.click(
      screen.getByLabelText('Select everyone you may offboard'),
    );
    expect(
      screen.getByRole('button', { name: 'Offboard selected (51)' }),
    ).toBeDisabled();
    expect(screen.getByText('At most 50 people at once.')).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText(`Select ${many[0]}`));
    expect(
      screen.getByRole('button', { name: 'Offboard selected (50)' }),
    ).toBeEnabled();
  });

  it('tells a viewer who may not offboard, and asks the backend nothing', async () => {
    const { previews } = serveOffboarding();
    await renderCard(engineering, <EntityTeamAccessCard />, {
      catalog: [platform, payments],
      deny: [{ name: 'sessions.user.offboard' }],
    });
    expect(
      await screen.findByText('shown to people who may offboard them', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(previews).toEqual([]);
    expect(
      screen.queryByRole('button', { name: /Offboard selected/ }),
    ).not.toBeInTheDocument();
  });
});
