import { identityApiRef } from '@backstage/core-plugin-api';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { fakeGrantsBackend } from '../../__testUtils__/fakeGrantsBackend';
import {
  GOOD_CODE,
  fakeMfaBackend,
  requiresStepUp,
} from '../../__testUtils__/fakeMfaBackend';
import {
  DISCOVERY_BASE_URL,
  backstageError,
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

const JANE = 'user:default/jane.doe';

/** The page as Jane (her identity spelled as the catalog has it). */
async function renderAsJane(path?: string) {
  return renderSessionsPage(
    undefined,
    undefined,
    [
      [
        identityApiRef,
        mockApis.identity({ userEntityRef: 'user:default/Jane.Doe' }),
      ],
    ],
    path,
  );
}

function serve(
  options: { capabilities?: { readsOthersSessions: boolean } } = {},
) {
  const backend = fakeSessionsBackend(
    [
      makeSession({ resourceName: 'bastion-prod-1' }),
      makeSession({ resourceName: 'db-replica-2', device: 'Pixel 8' }),
      makeSession({
        resourceName: 'wiki',
        resourceType: 'web',
        status: 'disconnected',
        endedAt: '2026-11-23T09:30:00.000Z',
        endReason: 'connector',
      }),
      makeSession({ userRef: 'user:default/bob', resourceName: 'build-1' }),
    ],
    { me: JANE, ...options },
  );
  server.use(...backend.handlers, ...fakeGrantsBackend([]).handlers);
  return backend;
}

/** The table row of a resource as shown now (the dialogs name it too). */
const rowNow = (name: string) =>
  screen
    .getAllByText(name)
    .map(cell => cell.closest('tr'))
    .find(Boolean) as HTMLElement;
const rowOf = async (name: string) => {
  await screen.findAllByText(name);
  return rowNow(name);
};
/** Waits until the row of `name` says it was reported. */
const shownReported = (name: string) =>
  waitFor(() =>
    expect(within(rowNow(name)).getByText('Reported')).toBeInTheDocument(),
  );

async function openReport(resourceName: string) {
  await userEvent.click(
    within(await rowOf(resourceName)).getByRole('button', {
      name: `Not me: report session on ${resourceName}`,
    }),
  );
  return screen.findByRole('dialog', { name: 'Report this session' });
}

describe('ActiveSessionsPage reporting a session', () => {
  it('needs a note, sends it with endOthers, and shows the row reported after the reload', async () => {
    const backend = serve();
    await renderAsJane();
    const dialog = await openReport('db-replica-2');
    const submit = within(dialog).getByRole('button', {
      name: 'Report and end',
    });
    expect(submit).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /What do you see\?/ }),
      '   ',
    );
    expect(submit).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /What do you see\?/ }),
      'I have no Pixel phone',
    );
    await userEvent.click(
      within(dialog).getByRole('checkbox', {
        name: 'Also end all my other sessions',
      }),
    );
    await userEvent.click(submit);

    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Report this session' }),
      ).not.toBeInTheDocument(),
    );
    expect(backend.received.reportBodies).toEqual([
      { note: '   I have no Pixel phone', endOthers: true },
    ]);
    await shownReported('db-replica-2');
    const row = rowNow('db-replica-2');
    expect(within(row).getByText('Terminating…')).toBeInTheDocument();
    // Reported once is enough: no second "Not me" on it.
    expect(
      within(row).queryByRole('button', { name: /Not me/ }),
    ).not.toBeInTheDocument();
    // Her other session ended with it; the lists were loaded again.
    await waitFor(() =>
      expect(
        within(rowNow('bastion-prod-1')).getByText('Terminating…'),
      ).toBeInTheDocument(),
    );
    expect(
      within(rowNow('bastion-prod-1')).queryByText('Reported'),
    ).not.toBeInTheDocument();
  });

  it('reports an ended session from the History tab without ending anything', async () => {
    const backend = serve();
    await renderAsJane();
    await userEvent.click(await screen.findByRole('tab', { name: 'History' }));
    const dialog = await openReport('wiki');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /What do you see\?/ }),
      'Never used the wiki from there',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Report' }),
    );
    await shownReported('wiki');
    // Still as it ended: nothing was left to end.
    expect(
      within(rowNow('wiki')).getByText('Closed at source'),
    ).toBeInTheDocument();
    expect(backend.received.reportBodies).toEqual([
      { note: 'Never used the wiki from there', endOthers: false },
    ]);
  });

  it("offers Not me only on the person's own sessions", async () => {
    serve({ capabilities: { readsOthersSessions: true } });
    await renderAsJane();
    await screen.findByText('bastion-prod-1');
    await userEvent.selectOptions(
      screen.getByLabelText('Whose sessions'),
      'Everyone I may see',
    );
    const bobs = await rowOf('build-1');
    expect(
      within(bobs).queryByRole('button', { name: /Not me/ }),
    ).not.toBeInTheDocument();
    expect(
      within(bobs).getByRole('button', { name: 'End session on build-1' }),
    ).toBeInTheDocument();
    expect(
      within(await rowOf('bastion-prod-1')).getByRole('button', {
        name: 'Not me: report session on bastion-prod-1',
      }),
    ).toBeInTheDocument();
  });

  it("shows the backend's message when the report is refused, and keeps the dialog open", async () => {
    serve();
    server.use(
      http.post(`${DISCOVERY_BASE_URL}/api/sessions/sessions/:id/report`, () =>
        backstageError(
          400,
          'InputError',
          'Invalid request, body.note: must not contain control characters (other than tab and line breaks) or broken Unicode',
        ),
      ),
    );
    await renderAsJane();
    const dialog = await openReport('bastion-prod-1');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /What do you see\?/ }),
      'not me',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Report and end' }),
    );
    expect(
      await within(dialog).findByText(
        /^Invalid request, body\.note: must not contain control characters/,
      ),
    ).toBeInTheDocument();
    expect(
      within(await rowOf('bastion-prod-1')).queryByText('Reported'),
    ).not.toBeInTheDocument();
  });

  it('lists reported sessions only with "Reported only"', async () => {
    const backend = fakeSessionsBackend(
      [
        makeSession({ resourceName: 'bastion-prod-1' }),
        makeSession({
          resourceName: 'db-replica-2',
          status: 'terminating',
          endReason: 'reported',
          reportedAt: '2026-11-23T09:10:00.000Z',
          reportNote: 'not me',
        }),
      ],
      { me: JANE },
    );
    server.use(...backend.handlers, ...fakeGrantsBackend([]).handlers);
    await renderAsJane();
    await screen.findByText('bastion-prod-1');
    await userEvent.click(screen.getByLabelText('Reported only'));
    await waitFor(() =>
      expect(screen.queryByText('bastion-prod-1')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('db-replica-2')).toBeInTheDocument();
    expect(backend.received.listQueries.at(-1)!.get('reported')).toBe('true');
  });

  it('opens with reported sessions only from the link security is sent', async () => {
    const backend = fakeSessionsBackend(
      [
        makeSession({ resourceName: 'bastion-prod-1' }),
        makeSession({
          resourceName: 'db-replica-2',
          status: 'terminating',
          reportedAt: '2026-11-23T09:10:00.000Z',
          reportNote: 'not me',
        }),
      ],
      { me: JANE },
    );
    server.use(...backend.handlers, ...fakeGrantsBackend([]).handlers);
    await renderAsJane('/sessions?reported=true');
    expect(await screen.findByText('db-replica-2')).toBeInTheDocument();
    expect(screen.queryByText('bastion-prod-1')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Reported only')).toBeChecked();
  });

  it('asks for a code when ending the others needs one, then reports', async () => {
    const backend = serve();
    const proofs: Array<string | null> = [];
    server.use(
      http.post(
        `${DISCOVERY_BASE_URL}/api/sessions/sessions/:id/report`,
        ({ request }) => {
          proofs.push(request.headers.get('x-sessions-step-up'));
          return requiresStepUp(request);
        },
      ),
      ...fakeMfaBackend({ enrolled: true }).handlers,
    );
    await renderAsJane();
    const dialog = await openReport('bastion-prod-1');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /What do you see\?/ }),
      'not me',
    );
    await userEvent.click(
      within(dialog).getByRole('checkbox', {
        name: 'Also end all my other sessions',
      }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Report and end' }),
    );
    const stepUp = await screen.findByRole('dialog', {
      name: "Confirm it's you",
    });
    await userEvent.type(
      within(stepUp).getByLabelText('Authenticator code'),
      GOOD_CODE,
    );
    await userEvent.click(
      within(stepUp).getByRole('button', { name: 'Verify' }),
    );
    await shownReported('bastion-prod-1');
    expect(proofs).toEqual([null, 'proof-for-jane']);
    expect(backend.received.reportBodies).toEqual([
      { note: 'not me', endOthers: true },
    ]);
  });
});
