import { registerMswTestHooks } from '@backstage/test-utils';
import { SessionsCapabilities } from '@active-sessions/plugin-sessions-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import {
  DISCOVERY_BASE_URL,
  backstageError,
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import { fakeGrantsBackend } from '../../__testUtils__/fakeGrantsBackend';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

const CAPABILITIES = `${DISCOVERY_BASE_URL}/api/sessions/capabilities`;
const EVERYONE = 'Everyone I may see';

/**
 * The page for someone the permission API allows everything it asks, with
 * one session of their own; `capabilities` answered by the fake backend
 * unless `answer` answers it instead.
 */
async function renderFor(
  capabilities: Partial<SessionsCapabilities>,
  answer?: Parameters<typeof http.get>[1],
) {
  server.use(
    ...fakeSessionsBackend([makeSession({ resourceName: 'bastion-prod-1' })], {
      capabilities,
    }).handlers,
    ...fakeGrantsBackend([]).handlers,
  );
  // Handlers added later come first.
  if (answer) server.use(http.get(CAPABILITIES, answer));
  await renderSessionsPage();
  await screen.findByText('bastion-prod-1');
}

async function openTab(name: string) {
  await userEvent.click(screen.getByRole('tab', { name }));
}

/** The options of the "Whose …" list on the open tab, if it has one. */
function whoseOptions(noun: 'sessions' | 'grants'): string[] | undefined {
  const select = screen.queryByLabelText(`Whose ${noun}`);
  return select
    ? Array.from(select.querySelectorAll('option')).map(o => o.textContent!)
    : undefined;
}

describe('ActiveSessionsPage "Whose …", as the policy decides', () => {
  it("offers everyone's sessions, not grants, to someone who reads others' sessions only", async () => {
    await renderFor({ readsOthersSessions: true, readsOthersGrants: false });
    expect(whoseOptions('sessions')).toEqual(['Mine', EVERYONE]);

    await openTab('Device Admin');
    expect(await screen.findByLabelText('Search grants')).toBeInTheDocument();
    expect(whoseOptions('grants')).toBeUndefined();
    await openTab('Timed Access');
    expect(await screen.findByLabelText('Search grants')).toBeInTheDocument();
    expect(whoseOptions('grants')).toBeUndefined();

    await openTab('History');
    expect(await screen.findByLabelText('Whose sessions')).toBeInTheDocument();
    expect(whoseOptions('sessions')).toEqual(['Mine', EVERYONE]);
  });

  it("offers everyone's grants, not sessions, to someone who reads others' grants only", async () => {
    await renderFor({ readsOthersSessions: false, readsOthersGrants: true });
    expect(whoseOptions('sessions')).toBeUndefined();

    await openTab('Device Admin');
    expect(await screen.findByLabelText('Whose grants')).toBeInTheDocument();
    expect(whoseOptions('grants')).toEqual(['Mine', EVERYONE]);
    await openTab('Timed Access');
    expect(await screen.findByLabelText('Whose grants')).toBeInTheDocument();

    await openTab('History');
    expect(await screen.findByLabelText('Search sessions')).toBeInTheDocument();
    expect(whoseOptions('sessions')).toBeUndefined();
  });

  it('does not offer it for offboarding rights alone, when the policy shows them no one else', async () => {
    await renderFor({ readsOthersSessions: false, readsOthersGrants: false });
    // The permission API lets this person offboard: the People tab is there.
    expect(screen.getByRole('tab', { name: 'People' })).toBeInTheDocument();
    expect(whoseOptions('sessions')).toBeUndefined();
    await openTab('Device Admin');
    expect(await screen.findByLabelText('Search grants')).toBeInTheDocument();
    expect(whoseOptions('grants')).toBeUndefined();
  });

  it('offers it only once the backend has said so', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>(resolve => {
      release = resolve;
    });
    await renderFor({}, async () => {
      await released;
      return HttpResponse.json({
        readsOthersSessions: true,
        readsOthersGrants: true,
      });
    });
    expect(whoseOptions('sessions')).toBeUndefined();
    release();
    expect(await screen.findByLabelText('Whose sessions')).toBeInTheDocument();
  });

  it("lists the person's own sessions without it when the backend fails to say", async () => {
    await renderFor(
      { readsOthersSessions: true, readsOthersGrants: true },
      () => backstageError(500, 'Error', 'permission backend unreachable'),
    );
    expect(whoseOptions('sessions')).toBeUndefined();
    await openTab('Device Admin');
    expect(await screen.findByLabelText('Search grants')).toBeInTheDocument();
    expect(whoseOptions('grants')).toBeUndefined();
  });
});
