import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import {
  GOOD_CODE,
  RECOVERY_CODES,
  SECRET,
  fakeMfaBackend,
  requiresStepUp,
} from '../../__testUtils__/fakeMfaBackend';
import {
  DISCOVERY_BASE_URL,
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

async function renderPage(options: { enrolled: boolean }) {
  const sessions = fakeSessionsBackend([
    makeSession({ resourceName: 'bastion-1' }),
    makeSession({ resourceName: 'rdp-gateway', resourceType: 'rdp' }),
  ]);
  const mfa = fakeMfaBackend(options);
  const endAllCalls: Array<string | null> = [];
  server.use(
    // The guard runs before the fake's own end-all handler.
    http.post(
      `${DISCOVERY_BASE_URL}/api/sessions/sessions/end-all`,
      ({ request }) => {
        endAllCalls.push(request.headers.get('x-sessions-step-up'));
        return requiresStepUp(request);
      },
    ),
    ...sessions.handlers,
    ...mfa.handlers,
  );
  await renderSessionsPage();
  return { mfa, endAllCalls };
}

async function confirmEndAll() {
  const endAll = screen.getByRole('button', { name: 'End All Sessions' });
  await waitFor(() => expect(endAll).toBeEnabled());
  await userEvent.click(endAll);
  const dialog = await screen.findByRole('dialog', {
    name: 'End all sessions?',
  });
  await userEvent.click(
    within(dialog).getByRole('button', { name: 'End 2 sessions' }),
  );
}

describe('ActiveSessionsPage step-up', () => {
  it('asks for a code when ending all needs one, then ends them', async () => {
    const { mfa, endAllCalls } = await renderPage({ enrolled: true });
    await confirmEndAll();

    const stepUp = await screen.findByRole('dialog', {
      name: "Confirm it's you",
    });
    expect(
      within(stepUp).getByText(
        'Confirm with your authenticator code to end all your sessions',
      ),
    ).toBeInTheDocument();
    const field = within(stepUp).getByLabelText('Authenticator code');
    await userEvent.type(field, '000000');
    await userEvent.click(
      within(stepUp).getByRole('button', { name: 'Verify' }),
    );
    expect(
      await within(stepUp).findByText('body.code: not a valid code'),
    ).toBeInTheDocument();

    await userEvent.clear(field);
    await userEvent.type(field, GOOD_CODE);
    await userEvent.click(
      within(stepUp).getByRole('button', { name: 'Verify' }),
    );

    // The same action went through again, now with the proof.
    await waitFor(() =>
      expect(screen.getAllByText('Terminating…')).toHaveLength(2),
    );
    expect(endAllCalls).toEqual([null, 'proof-for-jane']);
    expect(mfa.received.verifyBodies).toEqual([
      { code: '000000' },
      { code: GOOD_CODE },
    ]);
    // It closes with a transition.
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: "Confirm it's you" }),
      ).not.toBeInTheDocument(),
    );
  });

  it('ends nothing when the code is not given, and says why', async () => {
    const { endAllCalls } = await renderPage({ enrolled: true });
    await confirmEndAll();
    const stepUp = await screen.findByRole('dialog', {
      name: "Confirm it's you",
    });
    await userEvent.click(
      within(stepUp).getByRole('button', { name: 'Cancel' }),
    );

    const endDialog = await screen.findByRole('dialog', {
      name: 'End all sessions?',
    });
    expect(
      await within(endDialog).findByText(
        'Cancelled: the action needs your authenticator code',
      ),
    ).toBeInTheDocument();
    expect(endAllCalls).toEqual([null]);
    expect(screen.queryByText('Terminating…')).not.toBeInTheDocument();
  });

  it('sets up two-factor authentication with a QR code and shows the recovery codes once', async () => {
    await renderPage({ enrolled: false });
    await userEvent.click(screen.getByRole('tab', { name: 'Two-factor' }));
    expect(
      await screen.findByText('Two-factor authentication is off.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Set up two-factor authentication' }),
    );

    expect(
      await screen.findByRole('img', {
        name: 'QR code for your authenticator app',
      }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Secret key')).toHaveTextContent(SECRET);
    await userEvent.type(screen.getByLabelText('Code from the app'), GOOD_CODE);
    await userEvent.click(screen.getByRole('button', { name: 'Activate' }));

    const list = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(10);
    expect(within(list).getByText(RECOVERY_CODES[0])).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'I have saved them' }),
    );
    expect(
      await screen.findByText(
        'Two-factor authentication is on. 10 of 10 recovery codes left.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(RECOVERY_CODES[0])).not.toBeInTheDocument();
  });

  it('turns two-factor authentication off only with a valid code', async () => {
    await renderPage({ enrolled: true });
    await userEvent.click(screen.getByRole('tab', { name: 'Two-factor' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Turn off' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Turn off two-factor authentication?',
    });
    const field = within(dialog).getByLabelText('Authenticator code');
    await userEvent.type(field, '999999');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Turn off' }),
    );
    expect(
      await within(dialog).findByText('body.code: not a valid code'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Two-factor authentication is on. 10 of 10 recovery codes left.',
      ),
    ).toBeInTheDocument();

    await userEvent.clear(field);
    await userEvent.type(field, GOOD_CODE);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Turn off' }),
    );
    expect(
      await screen.findByText('Two-factor authentication is off.'),
    ).toBeInTheDocument();
  });
});
