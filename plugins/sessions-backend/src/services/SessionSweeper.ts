import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { SessionStore } from '../database/SessionStore';
import { SessionsSettings } from '../config';

/** Recorded as the actor of the changes the sweep makes. */
export const SWEEP_ACTOR = 'sessions:sweep';

/** Session ids in one audit record of a sweep. */
const AUDITED_PER_RECORD = 1000;

/**
 * The scheduled sweep: idles quiet sessions, warns, and disconnects those
 * past their idle timeout or max lifetime, in set-based statements; each
 * person's own times where they chose them.
 */
export class SessionSweeper {
  constructor(
    private readonly store: SessionStore,
    private readonly settings: Pick<
      SessionsSettings,
      | 'idleAfterMs'
      | 'warnAfterMs'
      | 'disconnectAfterMs'
      | 'maxLifetimeMs'
      | 'personalTimeouts'
    >,
    private readonly logger: LoggerService,
    private readonly auditor: AuditorService,
    private readonly now: () => number = Date.now,
    /** Told when this sweep owes warnings: whoever sends them may start. */
    private readonly onWarned: () => void = () => {},
  ) {}

  async run() {
    const began = Date.now();
    const at = this.now();
    const counts = await this.store.sweep({
      at,
      actor: SWEEP_ACTOR,
      idleBefore: at - this.settings.idleAfterMs,
      warnBefore: at - this.settings.warnAfterMs,
      disconnectBefore: at - this.settings.disconnectAfterMs,
      startedBefore: at - this.settings.maxLifetimeMs,
      // People who chose their own times are swept by them.
      personal: this.settings.personalTimeouts,
    });
    if (counts.warned > 0) this.onWarned();
    // Every ended id is audited, a thousand to a record: a sweep after an
    // outage ends 100,000, and one record would be a 4 MB log line, past
    // what most log pipelines take.
    const parts = Math.ceil(counts.endedIds.length / AUDITED_PER_RECORD);
    for (let part = 0; part < parts; part += 1) {
      const audit = await this.auditor.createEvent({
        eventId: 'session-end',
        severityLevel: 'low',
        meta: {
          actionType: 'sweep',
          sessionIds: counts.endedIds.slice(
            part * AUDITED_PER_RECORD,
            (part + 1) * AUDITED_PER_RECORD,
          ),
          part: part + 1,
          parts,
          idleTimeouts: counts.timedOut,
          maxLifetimes: counts.expired,
          noSecondFactor: counts.noCode,
        },
      });
      await audit.success();
    }
    await this.auditNoCode(counts.noCodeIds);
    if (counts.idled + counts.warned + counts.endedIds.length > 0) {
      this.logger.info(
        `Session sweep: ${counts.idled} idle, ${counts.warned} warned, ` +
          `${counts.timedOut} timed out, ${counts.expired} past max lifetime, ` +
          `${counts.noCode} without their sign-in code ` +
          `in ${Date.now() - began} ms`,
      );
    }
    return counts;
  }

  /**
   * A sign-in ended for want of its code is the second factor's fourth
   * outcome, audited as the other three are (challenged, passed, refused).
   */
  private async auditNoCode(ids: string[]) {
    if (!ids.length) return;
    for (const signIn of await this.store.getSessions(ids)) {
      const event = await this.auditor.createEvent({
        eventId: 'portal-second-factor',
        severityLevel: 'low',
        meta: {
          userRef: signIn.userRef,
          sid: signIn.externalId,
          outcome: 'timed-out',
        },
      });
      await event.success();
    }
  }
}
