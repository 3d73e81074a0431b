import { mockServices } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { Session } from '@active-sessions/plugin-sessions-common';
import { ReportAlerts } from './ReportAlerts';

const REPORTED = {
  id: '00000000-0000-4000-8000-000000000001',
  userRef: 'user:default/jane',
  resourceName: 'win-jump-01',
  resourceType: 'rdp',
  device: 'Pixel 8',
  ipAddress: '203.0.113.9',
  location: 'Lyon, FR',
  startedAt: '2026-12-01T08:00:00.000Z',
  endedAt: '2026-12-01T09:00:00.000Z',
  reportNote: 'I have no Pixel',
} as Session;

describe('ReportAlerts', () => {
  it('tells the configured audience who reported what, and what they wrote', async () => {
    const sent: NotificationSendOptions[] = [];
    await new ReportAlerts({
      notifications: { send: async options => void sent.push(options) },
      recipients: ['group:default/security'],
      logger: mockServices.logger.mock(),
    }).send(REPORTED);
    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: ['group:default/security'],
        },
        payload: {
          title:
            'user:default/jane reported a session as not theirs: RDP on win-jump-01',
          description:
            '"I have no Pixel" Started 2026-12-01T08:00:00.000Z from Pixel 8, 203.0.113.9, Lyon, FR; ended.',
          link: '/sessions/history?reported=true&all=true',
          severity: 'high',
          topic: 'Reported sessions',
          scope: `reported:${REPORTED.id}`,
        },
      },
    ]);
  });

  it('sends nothing without an audience, and logs a failed send instead of failing', async () => {
    const send = jest.fn(async () => {
      throw new Error('notifications backend is down');
    });
    const logger = mockServices.logger.mock();
    await new ReportAlerts({
      notifications: { send },
      recipients: [],
      logger,
    }).send(REPORTED);
    expect(send).not.toHaveBeenCalled();

    await expect(
      new ReportAlerts({
        notifications: { send },
        recipients: ['user:default/sam'],
        logger,
      }).send(REPORTED),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications backend is down'),
    );
  });
});
