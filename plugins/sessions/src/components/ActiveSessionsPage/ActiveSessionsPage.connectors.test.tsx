import { registerMswTestHooks } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { renderPageWithConnectors } from '../../__testUtils__/renderPageWithConnectors';

const server = setupServer();
registerMswTestHooks(server);

const rowOf = async (text: string) =>
  (await screen.findByText(text)).closest('tr') as HTMLElement;

// usePermission caches decisions per test file (SWR), so the denied case
// lives in ActiveSessionsPage.denied.test.tsx.
describe('ActiveSessionsPage connectors tab', () => {
  it('shows each connector online or offline, who speaks for it, its waiting orders and webhook failures', async () => {
    await renderPageWithConnectors(server, AuthorizeResult.ALLOW);
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Connectors' }),
    );

    const bastion = await rowOf('SSH bastion');
    expect(within(bastion).getByText('Online')).toBeInTheDocument();
    expect(within(bastion).getByText('Pull only')).toBeInTheDocument();
    expect(within(bastion).getByText('bastion-token')).toBeInTheDocument();

    const rdp = await rowOf('RDP gateway');
    expect(within(rdp).getByText('Offline')).toBeInTheDocument();
    expect(within(rdp).getByText('2')).toBeInTheDocument();
    expect(
      within(rdp).getByText('https://rdp.example/orders'),
    ).toBeInTheDocument();
    expect(
      within(rdp).getByText('Order 7 not pushed after 6 attempts: HTTP 502'),
    ).toBeInTheDocument();

    const vpn = (
      await screen.findByText('vpn · not declared: its calls are refused')
    ).closest('tr') as HTMLElement;
    expect(within(vpn).getByText('Never connected')).toBeInTheDocument();
    expect(within(vpn).getByText('Not heard from')).toBeInTheDocument();
  });
});
