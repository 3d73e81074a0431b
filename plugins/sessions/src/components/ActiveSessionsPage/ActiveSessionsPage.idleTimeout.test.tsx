import { registerMswTestHooks } from '@backstage/test-utils';
import {
  PersonalTimeoutsInfo,
  SessionsSettingsInfo,
} from '@active-sessions/plugin-sessions-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import {
  DISCOVERY_BASE_URL,
  FAKE_SETTINGS,
  backstageError,
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import { fakeGrantsBackend } from '../../__testUtils__/fakeGrantsBackend';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

const MINUTE = 60_000;
const API = `${DISCOVERY_BASE_URL}/api/sessions`;
const PERSONAL: PersonalTimeoutsInfo = {
  chosen: false,
  mayChoose: true,
  defaults: {
    idleAfterMs: 5 * MINUTE,
    warnAfterMs: 10 * MINUTE,
    disconnectAfterMs: 30 * MINUTE,
  },
  bounds: {
    idleAfterMs: { minMs: 2 * MINUTE, maxMs: 60 * MINUTE },
    disconnectAfterMs: { minMs: 15 * MINUTE, maxMs: 240 * MINUTE },
  },
};

/** A settings backend that keeps what the person chose, as the real one. */
function personalTimeoutsBackend(personal: PersonalTimeoutsInfo | null) {
  const portal = { ...FAKE_SETTINGS.timeouts, personal };
  let timeouts: SessionsSettingsInfo['timeouts'] = portal;
  const received: Array<{ method: string; body: unknown }> = [];
  return {
    received,
    handlers: [
      http.get(`${API}/settings`, () =>
        HttpResponse.json({ ...FAKE_SETTINGS, timeouts }),
      ),
      http.put(`${API}/settings/timeouts`, async ({ request }) => {
        const body = (await request.json()) as {
          idleAfterMs: number;
          disconnectAfterMs: number;
        };
        received.push({ method: 'PUT', body });
        if (body.disconnectAfterMs > 180 * MINUTE) {
          // The admin narrowed the range since the page loaded.
          return backstageError(
            400,
            'InputError',
            'Invalid request, body.disconnectAfterMs: must be between 15m and 3h',
          );
        }
        timeouts = {
          ...timeouts,
          ...body,
          warnAfterMs: body.disconnectAfterMs - 20 * MINUTE,
          personal: { ...PERSONAL, chosen: true },
        };
        return HttpResponse.json(timeouts);
      }),
      http.delete(`${API}/settings/timeouts`, () => {
        received.push({ method: 'DELETE', body: null });
        timeouts = portal;
        return HttpResponse.json(timeouts);
      }),
    ],
  };
}

async function openIdleTimeoutTab(personal: PersonalTimeoutsInfo | null) {
  const backend = personalTimeoutsBackend(personal);
  server.use(
    ...backend.handlers,
    ...fakeSessionsBackend([makeSession()]).handlers,
    ...fakeGrantsBackend([]).handlers,
  );
  await renderSessionsPage();
  await userEvent.click(
    await screen.findByRole('tab', { name: 'Idle timeout' }),
  );
  await screen.findByText(/Without keyboard or mouse activity/);
  return backend;
}

const summary = () =>
  screen.getByText(/Without keyboard or mouse activity/).textContent;

describe('ActiveSessionsPage idle timeout', () => {
  it("shows the portal's times when people may not choose", async () => {
    await openIdleTimeoutTab(null);
    expect(summary()).toBe(
      "Without keyboard or mouse activity, your sessions are marked idle after 5m, you are warned at 10m, and they are disconnected after 30m. These are the portal's times.",
    );
    expect(
      screen.getByText('This portal sets them for everyone.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });

  it('saves a longer time within the ranges, then goes back', async () => {
    const backend = await openIdleTimeoutTab(PERSONAL);
    const idle = screen.getByLabelText('Idle after (minutes)');
    const disconnect = screen.getByLabelText('Disconnect after (minutes)');
    expect(idle).toHaveValue(5);
    expect(disconnect).toHaveValue(30);
    expect(screen.getByText('Between 15m and 4h')).toBeInTheDocument();
    const save = screen.getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled();

    fireEvent.change(idle, { target: { value: '20' } });
    fireEvent.change(disconnect, { target: { value: '120' } });
    await userEvent.click(save);

    expect(
      await screen.findByText(
        'Saved: your quiet sessions are disconnected after 2h.',
      ),
    ).toBeInTheDocument();
    expect(backend.received).toEqual([
      {
        method: 'PUT',
        body: { idleAfterMs: 20 * MINUTE, disconnectAfterMs: 120 * MINUTE },
      },
    ]);
    expect(summary()).toBe(
      'Without keyboard or mouse activity, your sessions are marked idle after 20m, you are warned at 1h 40m, and they are disconnected after 2h. These are your own times.',
    );

    await userEvent.click(
      screen.getByRole('button', { name: "Use the portal's times" }),
    );
    expect(
      await screen.findByText("Back to the portal's times."),
    ).toBeInTheDocument();
    expect(summary()).toContain('disconnected after 30m');
    expect(screen.getByLabelText('Disconnect after (minutes)')).toHaveValue(30);
  });

  it('says what is outside the ranges before sending anything', async () => {
    const backend = await openIdleTimeoutTab(PERSONAL);
    const form = screen.getByRole('form', { name: 'Your idle timeout' });
    fireEvent.change(screen.getByLabelText('Idle after (minutes)'), {
      target: { value: '1' },
    });
    expect(within(form).getByText('Between 2m and 1h')).toBeInTheDocument();
    expect(screen.getByLabelText('Idle after (minutes)')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    fireEvent.change(screen.getByLabelText('Idle after (minutes)'), {
      target: { value: '40' },
    });
    fireEvent.change(screen.getByLabelText('Disconnect after (minutes)'), {
      target: { value: '30' },
    });
    expect(within(form).getByText('Longer than idle')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(backend.received).toEqual([]);
  });

  it("shows the backend's refusal and keeps the times that apply", async () => {
    await openIdleTimeoutTab(PERSONAL);
    fireEvent.change(screen.getByLabelText('Disconnect after (minutes)'), {
      target: { value: '200' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText(
        'Invalid request, body.disconnectAfterMs: must be between 15m and 3h',
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(summary()).toContain('disconnected after 30m'));
  });

  it('offers no choice to someone the policy denies', async () => {
    await openIdleTimeoutTab({ ...PERSONAL, mayChoose: false });
    expect(
      screen.getByText(
        "Your organisation's policy does not let you choose your own.",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Idle after (minutes)')).toBeNull();
  });
});
