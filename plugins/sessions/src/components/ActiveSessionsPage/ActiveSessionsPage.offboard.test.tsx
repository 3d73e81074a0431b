import { registerMswTestHooks } from '@backstage/test-utils';
import { UserLock } from '@active-sessions/plugin-sessions-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import {
  DISCOVERY_BASE_URL,
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import {
  fakeGrantsBackend,
  makeGrant,
} from '../../__testUtils__/fakeGrantsBackend';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

const API = `${DISCOVERY_BASE_URL}/api/sessions`;
const JANE = 'user:default/jane.doe';
const BOB = 'user:default/bob';

/** An offboarding backend behind msw that remembers the locks it set. */
function serveOffboarding() {
  let locks: UserLock[] = [];
  const offboarded: unknown[] = [];
  server.use(
    ...fakeSessionsBackend([
      makeSession({
        userRef: JANE,
        resourceName: 'bastion-prod-2',
        device: 'ThinkPad X1',
      }),
    ]).handlers,
    ...fakeGrantsBackend([
      makeGrant({ userRef: JANE, kind: 'device_admin', target: 'lnx-gpu-02' }),
    ]).handlers,
    http.get(`${API}/people`, ({ request }) => {
      const q = new URL(request.url).searchParams.get('q') ?? '';
      const everyone = [
        {
          userRef: 'user:default/bob',
          openSessions: 1,
          activeGrants: 0,
          locked: false,
          mayOffboard: false,
        },
        {
          userRef: JANE,
          openSessions: 2,
          activeGrants: 1,
          locked: false,
          mayOffboard: true,
        },
      ];
      return HttpResponse.json({
        items: everyone.filter(person => person.userRef.includes(q)),
      });
    }),
    http.post(`${API}/offboard/preview`, async ({ request }) => {
      const { users } = (await request.json()) as { users: string[] };
      return HttpResponse.json({
        items: users.map(userRef => ({
          userRef,
          locked: false,
          // Bob is outside the caller's groups.
          mayOffboard: userRef !== BOB,
          sessions: [{ resourceName: 'db-1', resourceType: 'ssh', count: 2 }],
          grants: [{ kind: 'device_admin', count: 1 }],
        })),
      });
    }),
    http.post(`${API}/offboard`, async ({ request }) => {
      const body = (await request.json()) as { users: string[] };
      offboarded.push(body);
      locks = body.users.map(userRef => ({
        userRef,
        lockedAt: new Date().toISOString(),
        lockedBy: 'user:default/admin',
        reason: 'offboarding',
      }));
      return HttpResponse.json({
        results: body.users.map(userRef => ({
          userRef,
          locked: true,
          endedSessions: [
            { id: 's1', resourceName: 'db-1' },
            { id: 's2', resourceName: 'db-1' },
          ],
          revokedGrants: [
            { id: 'g1', target: 'laptop-7', kind: 'device_admin' },
          ],
          notAllowed: { sessions: 0, grants: 0 },
        })),
      });
    }),
    http.get(`${API}/locks`, () => HttpResponse.json({ items: locks })),
    http.delete(`${API}/locks/:userRef`, ({ params }) => {
      locks = locks.filter(lock => lock.userRef !== params.userRef);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return { offboarded };
}

describe('ActiveSessionsPage offboarding', () => {
  it('previews a leaver, offboards them after confirmation, and lifts the lock', async () => {
    const backend = serveOffboarding();
    await renderSessionsPage();
    await userEvent.click(await screen.findByRole('tab', { name: 'People' }));
    expect(await screen.findByText('Nobody is locked.')).toBeInTheDocument();
    expect(await screen.findByText('user:default/bob')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Search people'), 'jane');
    await waitFor(() =>
      expect(screen.queryByText('user:default/bob')).not.toBeInTheDocument(),
    );
    await userEvent.click(
      screen.getByRole('button', { name: `Add ${JANE} to offboarding` }),
    );
    expect(
      screen.getByLabelText('People to offboard (entity refs)'),
    ).toHaveValue(JANE);
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByRole('list', {
      name: 'What offboarding cuts',
    });
    expect(
      within(preview).getByText(
        '2 sessions (db-1 × 2) · 1 grant (Device Admin × 1)',
      ),
    ).toBeInTheDocument();
    expect(backend.offboarded).toEqual([]);

    await userEvent.click(
      screen.getByRole('button', { name: 'Offboard 1 person' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Offboard now?' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Offboard' }),
    );

    const result = await screen.findByLabelText(`Offboarded ${JANE}`);
    expect(result).toHaveTextContent(
      `${JANE}: locked; ended 2 sessions (db-1, db-1); revoked 1 grants (laptop-7).`,
    );
    expect(backend.offboarded).toEqual([{ users: [JANE] }]);
    const locked = await screen.findByRole('list', { name: 'Locked people' });
    expect(within(locked).getByText(JANE)).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: `Lift lock on ${JANE}` }),
    );
    await waitFor(() =>
      expect(screen.getByText('Nobody is locked.')).toBeInTheDocument(),
    );
  });

  it('opens a person to show what they hold, and keeps people outside your groups out of offboarding', async () => {
    const backend = serveOffboarding();
    await renderSessionsPage();
    await userEvent.click(await screen.findByRole('tab', { name: 'People' }));

    await userEvent.click(
      await screen.findByRole('button', { name: `Open ${JANE}` }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: `What ${JANE} holds`,
    });
    const sessions = await within(dialog).findByRole('list', {
      name: `Open sessions of ${JANE}`,
    });
    expect(within(sessions).getByText('bastion-prod-2 · ssh')).toBeVisible();
    const grants = within(dialog).getByRole('list', {
      name: `Active grants of ${JANE}`,
    });
    expect(within(grants).getByText('Device Admin · lnx-gpu-02')).toBeVisible();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );

    // Bob is listed, but not the caller's to offboard.
    expect(screen.getByText(BOB)).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: `Add ${BOB} to offboarding` }),
    ).not.toBeInTheDocument();
    await userEvent.type(
      screen.getByLabelText('People to offboard (entity refs)'),
      `${JANE} ${BOB}`,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(
      await screen.findByText(
        `You may not offboard ${BOB}: they are not among the people you manage. Remove them to go on.`,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Offboard 2 people' }),
    ).toBeDisabled();
    expect(backend.offboarded).toEqual([]);
  });
});
