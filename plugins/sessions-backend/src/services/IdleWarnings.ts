import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  Session,
  idleWarningText,
} from '@active-sessions/plugin-sessions-common';

/** Notifications in flight at once. */
const PARALLEL_SENDS = 8;

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
      /** The portal's disconnect time, for everyone who chose none. */
      disconnectAfterMs: number;
      /** The disconnect times of those of these people who chose their own. */
      chosenDisconnectAfter?: (
        userRefs: string[],
      ) => Promise<Map<string, number>>;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  private readonly queue: Session[] = [];
  private draining?: Promise<void>;

  /**
   * Queues warnings and returns at once: the sweep holds its cluster-wide
   * claim while it runs, and thousands of notifications take minutes. A
   * process that stops loses what it had queued; the page's banner still
   * warns.
   */
  enqueue(sessions: Session[]): void {
    this.queue.push(...sessions);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  /** Resolves once every queued warning was sent or failed. */
  async drained(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain() {
    const began = Date.now();
    let count = 0;
    while (this.queue.length) {
      const batch = this.queue.splice(0);
      count += batch.length;
      await this.send(batch);
    }
    this.options.logger.info(
      `Idle warnings: sent ${count} in ${Date.now() - began} ms`,
    );
  }

  async send(sessions: Session[]): Promise<void> {
    // A few at a time: a first sweep after an outage can warn thousands,
    // and one by one the sweep would wait minutes for them.
    let next = 0;
    const chosen = await this.chosenDisconnectAfter(sessions);
    const worker = async () => {
      while (next < sessions.length) {
        const session = sessions[next++];
        await this.sendOne(
          session,
          chosen.get(session.userRef) ?? this.options.disconnectAfterMs,
        );
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_SENDS }, worker));
  }

  /** Without them, each warning still goes out, with the portal's time. */
  private async chosenDisconnectAfter(sessions: Session[]) {
    try {
      return (
        (await this.options.chosenDisconnectAfter?.(
          sessions.map(session => session.userRef),
        )) ?? new Map<string, number>()
      );
    } catch (error) {
      this.options.logger.warn(
        `Could not read people's own disconnect times for idle warnings: ${error}`,
      );
      return new Map<string, number>();
    }
  }

  private async sendOne(session: Session, disconnectAfterMs: number) {
    const now = (this.options.now ?? Date.now)();
    const cutAt = Date.parse(session.lastActivityAt) + disconnectAfterMs;
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
