import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Session, idleWarningText } from '@internal/plugin-sessions-common';

/**
 * Tells people, through Backstage notifications, that an idle session of
 * theirs is about to be disconnected. The sweep warns each idle stretch of
 * a session once; without the notifications backend the page's banner
 * still says it.
 */
export class IdleWarnings {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      message: string;
      disconnectAfterMs: number;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  async send(sessions: Session[]): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    for (const session of sessions) {
      const cutAt =
        Date.parse(session.lastActivityAt) + this.options.disconnectAfterMs;
      const minutes = Math.ceil((cutAt - now) / 60_000);
      try {
        await this.options.notifications.send({
          recipients: { type: 'entity', entityRef: session.userRef },
          payload: {
            title: idleWarningText(this.options.message, session, minutes),
            description:
              'Use the session to keep it, or end it from Active Sessions if it is not yours.',
            link: '/sessions',
            severity: 'high',
            topic: 'Idle sessions',
            // One notification per idle stretch, even if sent again.
            scope: `idle-warning:${session.id}:${session.idleWarnedAt}`,
          },
        });
      } catch (error) {
        this.options.logger.warn(
          `Could not send the idle warning for session ${session.id}: ${error}`,
        );
      }
    }
  }
}
