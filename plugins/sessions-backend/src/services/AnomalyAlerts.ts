import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { RESOURCE_TYPE_LABELS } from '@active-sessions/plugin-sessions-common';
import { NewSession } from '../database/SessionStore';

const REASONS = {
  new_device: 'a new device',
  new_country: 'a new country',
  impossible_travel: 'an impossible place',
} as const;

/**
 * Tells people about a flagged start of theirs through Backstage
 * notifications, with the way out: if it was not them, end everything
 * from the Active Sessions page.
 */
export class AnomalyAlerts {
  constructor(
    private readonly notifications: NotificationService,
    private readonly logger: LoggerService,
  ) {}

  async send(flagged: NewSession[]): Promise<void> {
    for (const session of flagged) {
      const why = (session.flags ?? [])
        .map(flag => REASONS[flag])
        .join(' and ');
      try {
        await this.notifications.send({
          recipients: { type: 'entity', entityRef: session.userRef },
          payload: {
            title: `New ${RESOURCE_TYPE_LABELS[session.resourceType]} session on ${session.resourceName} from ${why}`,
            description: `${session.flagDetail ?? ''}. Not you? End all your sessions on the Active Sessions page.`,
            link: '/sessions?flagged=true',
            severity: 'critical',
            topic: 'Unusual sessions',
            scope: `flagged:${session.id}`,
          },
        });
      } catch (error) {
        this.logger.warn(
          `Could not tell ${session.userRef} about flagged session ${session.id}: ${error}`,
        );
      }
    }
  }
}
