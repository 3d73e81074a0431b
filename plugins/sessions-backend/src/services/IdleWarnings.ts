import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { idleWarningText } from '@active-sessions/plugin-sessions-common';
import { DueIdleWarning, IdleWarningStore } from '../database/IdleWarningStore';

/** Notifications in flight at once. */
const PARALLEL_SENDS = 8;
/** Due rows read per round: a few hundred people at a time. */
const ROWS_PER_ROUND = 1_000;
/** Sessions named in one notification; the rest are counted. */
const LISTED = 10;

/**
 * Sends the idle warnings the sweep decided on, through Backstage
 * notifications: one per person per sweep, naming their sessions. The sweep
 * writes what it owes in its own transaction; this reads it afterwards,
 * apart from the sweep's cluster-wide claim, and deletes what it sent. A
 * backend that stops midway loses nothing: the next run sends the rest, and
 * what was sent but not yet deleted goes out again under the same scope,
 * which the notifications backend updates instead of adding. A session used
 * again or ended since its warning is left out; without the notifications
 * backend the page's banner still warns.
 */
export class IdleWarnings {
  constructor(
    private readonly options: {
      store: IdleWarningStore;
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
      /** Due rows read per round. */
      rowsPerRound?: number;
    },
  ) {}

  /**
   * Sends what is due, round by round, until nothing is or `stopAt` (epoch
   * ms) has passed. A person whose notification failed is tried again on
   * the next run, not in this one.
   */
  async run(stopAt = Infinity): Promise<{ people: number; failed: number }> {
    const { store, logger } = this.options;
    const began = Date.now();
    const tried = new Set<string>();
    const total = { people: 0, sessions: 0, failed: 0 };
    let afterId = 0;
    while (Date.now() < stopAt) {
      const { warnings, lastId } = await store.readDue(
        afterId,
        this.options.rowsPerRound ?? ROWS_PER_ROUND,
      );
      if (lastId === afterId) break;
      afterId = lastId;
      const fresh = warnings.filter(warning => {
        const key = `${warning.userRef}\n${warning.warnedAt}`;
        if (tried.has(key)) return false;
        tried.add(key);
        return true;
      });
      const round = await this.sendAll(fresh);
      total.people += round.people;
      total.sessions += round.sessions;
      total.failed += round.failed;
    }
    if (total.people + total.failed > 0) {
      logger.info(
        `Idle warnings: sent ${total.sessions} to ${total.people} people in ${
          Date.now() - began
        } ms${
          total.failed
            ? `, ${total.failed} failed and wait for the next run`
            : ''
        }`,
      );
    }
    return { people: total.people, failed: total.failed };
  }

  /** One notification per warning, a few at once; deletes what went out. */
  private async sendAll(warnings: DueIdleWarning[]) {
    const chosen = await this.chosenDisconnectAfter(
      warnings.map(warning => warning.userRef),
    );
    const counts = { people: 0, sessions: 0, failed: 0 };
    const done: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < warnings.length) {
        const warning = warnings[next++];
        if (warning.sessions.length > 0) {
          const disconnectAfterMs =
            chosen.get(warning.userRef) ?? this.options.disconnectAfterMs;
          if (!(await this.send(warning, disconnectAfterMs))) {
            counts.failed += 1;
            continue;
          }
          counts.people += 1;
          counts.sessions += warning.sessions.length;
        }
        done.push(...warning.rowIds);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_SENDS }, worker));
    await this.options.store.remove(done);
    return counts;
  }

  /** Without them, each warning still goes out, with the portal's time. */
  private async chosenDisconnectAfter(userRefs: string[]) {
    try {
      return (
        (await this.options.chosenDisconnectAfter?.(userRefs)) ??
        new Map<string, number>()
      );
    } catch (error) {
      this.options.logger.warn(
        `Could not read people's own disconnect times for idle warnings: ${error}`,
      );
      return new Map<string, number>();
    }
  }

  private async send(warning: DueIdleWarning, disconnectAfterMs: number) {
    const now = (this.options.now ?? Date.now)();
    const lines = warning.sessions
      .map(session => {
        const cutAt = session.lastActivityAt + disconnectAfterMs;
        return { session, minutes: Math.ceil((cutAt - now) / 60_000) };
      })
      .sort((a, b) => a.minutes - b.minutes)
      .map(({ session, minutes }) =>
        idleWarningText(this.options.message, session, minutes),
      );
    const keep =
      lines.length === 1
        ? 'Use the session to keep it, or end it from Active Sessions if it is not yours.'
        : 'Use them to keep them, or end them from Active Sessions if they are not yours.';
    const listed = lines.slice(0, LISTED);
    if (lines.length > LISTED) {
      listed.push(`… and ${lines.length - LISTED} more.`);
    }
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: warning.userRef },
        payload: {
          title:
            lines.length === 1
              ? lines[0]
              : `${lines.length} idle sessions of yours are about to be disconnected`,
          description:
            lines.length === 1 ? keep : `${listed.join('\n')}\n${keep}`,
          link: '/sessions',
          severity: 'high',
          topic: 'Idle sessions',
          // One notification per person and sweep, even if sent again.
          scope: `idle-warning:${warning.userRef}:${warning.warnedAt}`,
        },
      });
      return true;
    } catch (error) {
      this.options.logger.warn(
        `Could not send the idle warning to ${warning.userRef}: ${error}`,
      );
      return false;
    }
  }
}
