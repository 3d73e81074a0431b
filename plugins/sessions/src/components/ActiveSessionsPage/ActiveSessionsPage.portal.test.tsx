import { registerMswTestHooks } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PortalStatus } from '@active-sessions/plugin-sessions-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import {
  DISCOVERY_BASE_URL,
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import { fakeGrantsBackend } from '../../__testUtils__/fakeGrantsBackend';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

const API = `${DISCOVERY_BASE_URL}/api/sessions`;

/** A Backstage token whose sign-in id is `sid` (the page only reads it). */
const tokenFor = (sid: string) =>
  [
    btoa(JSON.stringify({ typ: 'vnd.backstage.user', alg: 'ES256' })),
    btoa(JSON.stringify({ sub: 'user:default/jane.doe', sid })),
    'signature',
  ].join('.');

const signIn = (sid: string, device: string, ipAddress: string) =>
  makeSession({
    source: 'portal',
    resourceType: 'portal',
    resourceName: 'Backstage portal',
    externalId: sid,
    device,
    ipAddress,
  });

function serve(status: Partial<PortalStatus> = {}) {
  const laptop = signIn('sid-laptop', 'Firefox 130 on Mac OS', '10.1.1.1');
  const phone = signIn(
    'sid-phone',
    'Chrome 129 on Android (mobile)',
    '10.2.2.2',
  );
  const old = {
    ...signIn('sid-old', 'Safari 17 on iOS (mobile)', '10.3.3.3'),
    status: 'disconnected' as const,
    endedAt: '2026-11-22T10:00:00.000Z',
    endReason: 'idle_timeout' as const,
  };
  const ssh = makeSession({ resourceName: 'bastion-prod-2' });
  const backend = fakeSessionsBackend([laptop, phone, old, ssh]);
  server.use(
    ...backend.handlers,
    ...fakeGrantsBackend([]).handlers,
    http.get(`${API}/portal/status`, () =>
      HttpResponse.json({
        tokenCheck: 'enforced',
        refreshIntervalMs: 5000,
        heartbeatIntervalMs: 30_000,
        ...status,
      }),
    ),
    http.post(`${API}/portal/heartbeat`, () =>
      HttpResponse.json({ state: 'open' }),
    ),
  );
  return { backend, laptop, phone, ssh };
}

async function openPortalTab(token = tokenFor('sid-laptop')) {
  await renderSessionsPage(AuthorizeResult.ALLOW, token);
  await userEvent.click(
    await screen.findByRole('tab', { name: 'Portal sign-ins' }),
  );
}

describe('ActiveSessionsPage portal sign-ins', () => {
  it('lists each browser with its address, marks this one, and offers to sign out the others', async () => {
    serve();
    await openPortalTab();

    // Marked once this browser's sign-in id is read from its token.
    const laptopRow = (await screen.findByText('This device')).closest('tr')!;
    expect(laptopRow).toHaveTextContent('Firefox 130 on Mac OS');
    expect(
      within(laptopRow).getByText('10.1.1.1 · Berlin, DE'),
    ).toBeInTheDocument();
    expect(
      within(laptopRow).queryByRole('button', { name: /Sign out/ }),
    ).toBeNull();
    const phoneRow = screen
      .getByText('Chrome 129 on Android (mobile)')
      .closest('tr')!;
    expect(within(phoneRow).queryByText('This device')).toBeNull();
    expect(
      within(phoneRow).getByRole('button', {
        name: 'Sign out Chrome 129 on Android (mobile)',
      }),
    ).toBeEnabled();
    // The SSH session is not a sign-in; the ended one is in the history.
    expect(screen.queryByText('bastion-prod-2')).toBeNull();
    expect(screen.getByText('Ended sign-ins')).toBeInTheDocument();
    expect(
      screen.getByText('Safari 17 on iOS (mobile)').closest('tr'),
    ).toHaveTextContent('Idle timeout');
    expect(
      screen.getByText(
        /loses access to every part of the portal within 5 seconds/,
      ),
    ).toBeInTheDocument();
  });

  it('signs out every other device in one step, keeping this one and the SSH session', async () => {
    const { backend, laptop, phone } = serve();
    await openPortalTab();
    const signOutOthers = await screen.findByRole('button', {
      name: 'Sign out all other devices',
    });
    // Enabled once this browser's sign-in is known.
    await waitFor(() => expect(signOutOthers).toBeEnabled());
    await userEvent.click(signOutOthers);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('except this one (1 other device)');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Sign out 1 other device' }),
    );

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.received.endAllBodies).toEqual([
      { source: 'portal', exceptId: laptop.id },
    ]);
    const phoneRow = (
      await screen.findByText('Chrome 129 on Android (mobile)')
    ).closest('tr')!;
    await waitFor(() =>
      expect(
        within(phoneRow).queryByRole('button', { name: /Sign out/ }),
      ).toBeNull(),
    );
    expect(phone.id).not.toBe(laptop.id);
    expect(
      screen.getByRole('button', { name: 'Sign out all other devices' }),
    ).toBeDisabled();
  });

  it('says signing out is advisory when the backend does not check tokens', async () => {
    serve({ tokenCheck: 'advisory' });
    await openPortalTab();
    expect(
      await screen.findByText(
        /Signing out other devices is advisory in this portal/,
      ),
    ).toBeInTheDocument();
  });

  it('keeps this browser signed in when ending all sessions from the header', async () => {
    const { backend, laptop } = serve();
    await renderSessionsPage(AuthorizeResult.ALLOW, tokenFor('sid-laptop'));
    const endAll = await screen.findByRole('button', {
      name: 'End All Sessions',
    });
    await waitFor(() => expect(endAll).toBeEnabled());
    await userEvent.click(endAll);
    const dialog = await screen.findByRole('dialog');
    await waitFor(() =>
      expect(dialog).toHaveTextContent(
        'except this browser’s sign-in to the portal',
      ),
    );
    // Phone and SSH end; the laptop's sign-in stays.
    expect(dialog).toHaveTextContent('This will end 2 sessions');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'End 2 sessions' }),
    );
    await waitFor(() =>
      expect(backend.received.endAllBodies).toEqual([{ exceptId: laptop.id }]),
    );
  });
});
