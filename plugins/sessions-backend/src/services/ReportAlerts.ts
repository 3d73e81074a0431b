import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  RESOURCE_TYPE_LABELS,
  Session,
} from '@active-sessions/plugin-sessions-common';

/**
 * Tells the security audience (`sessions.reports.notify`) through Backstage
 * notifications that someone reported a session as not theirs, with their
 * note. A failed send is logged, not thrown: the report stands either way,
 * and the page lists it under "Reported only".
 */
export class ReportAlerts {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      /** Entity refs; none: nobody is told. */
      recipients: string[];
      logger: LoggerService;
    },
  ) {}

  async send(session: Session): Promise<void> {
    const { notifications, recipients, logger } = this.options;
    if (!recipients.length) return;
    const type = RESOURCE_TYPE_LABELS[session.resourceType];
    const from = [session.device, session.ipAddress, session.location]
      .filter(Boolean)
      .join(', ');
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: {
          title: `${session.userRef} reported a session as not theirs: ${type} on ${session.resourceName}`,
          description: `"${session.reportNote ?? ''}" Started ${session.startedAt}${from ? ` from ${from}` : ''}; ${session.endedAt ? 'ended' : 'still open'}.`,
          link: '/sessions/history?reported=true&all=true',
          severity: 'high',
          topic: 'Reported sessions',
          scope: `reported:${session.id}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not tell ${recipients.join(', ')} about reported session ${session.id}: ${error}`,
      );
    }
  }
}
