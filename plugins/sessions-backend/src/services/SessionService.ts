import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  ListSessionsQuery,
  OPEN_SESSION_STATUSES,
  Session,
  SessionPage,
  SessionSortField,
  SessionStats,
  sessionReadPermission,
  sessionRecordingViewPermission,
  sessionTerminatePermission,
} from '@active-sessions/plugin-sessions-common';
import {
  SessionCriteria,
  SessionFilter,
  SessionStore,
} from '../database/SessionStore';
import { allowedOrThrow, ResourceAccess } from '../permissions/ResourceAccess';
import { decodeCursor, toPage } from './cursor';
import { StepUpGuard, noStepUp } from '../mfa/StepUpGuard';
import { callerRef } from './callerRef';
import { ReportAlerts } from './ReportAlerts';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

function sortValue(session: Session, sort: SessionSortField): string | number {
  switch (sort) {
    case 'resourceName':
      return session.resourceName;
    case 'endedAt':
      return Date.parse(session.endedAt ?? '');
    case 'lastActivityAt':
      return Date.parse(session.lastActivityAt);
    default:
      return Date.parse(session.startedAt);
  }
}

/**
 * What a person can do with sessions: list, count, look at and end them,
 * within what the permission policy allows.
 */
export class SessionService {
  constructor(
    private readonly store: SessionStore,
    private readonly access: ResourceAccess<SessionFilter>,
    private readonly stepUp: StepUpGuard = noStepUp,
    private readonly now: () => number = Date.now,
    /** Tells security of each new report; nobody is told without it. */
    private readonly reportAlerts?: Pick<ReportAlerts, 'send'>,
  ) {}

  async list(
    credentials: UserCredentials,
    query: ListSessionsQuery,
  ): Promise<SessionPage> {
    if (query.sort === 'endedAt' && query.status?.join() !== 'disconnected') {
      throw new InputError('sort=endedAt needs status=disconnected');
    }
    const { criteria } = allowedOrThrow(
      await this.access.decide(sessionReadPermission, credentials),
      'read sessions',
    );
    const rows = await this.store.listSessions({
      userRef: query.all ? undefined : (query.user ?? callerRef(credentials)),
      ids: query.id,
      statuses: query.status,
      types: query.type,
      flagged: query.flagged || undefined,
      reported: query.reported || undefined,
      endedFrom: query.endedFrom ? Date.parse(query.endedFrom) : undefined,
      endedBefore: query.endedBefore
        ? Date.parse(query.endedBefore)
        : undefined,
      text: query.q || undefined,
      sort: query.sort,
      order: query.order,
      limit: query.limit + 1,
      after: query.cursor
        ? decodeCursor(
            query.cursor,
            query,
            query.sort === 'resourceName' ? 'string' : 'number',
          )
        : undefined,
      access: criteria,
    });
    const page = toPage(rows, query.limit, query, row =>
      sortValue(row, query.sort),
    );
    return {
      ...page,
      items: await this.withRecordings(credentials, page.items),
    };
  }

  /** Counters of the caller's open sessions, `user`'s, or (`all`) everyone's. */
  async stats(
    credentials: UserCredentials,
    scope: { user?: string; all?: boolean } = {},
  ): Promise<SessionStats> {
    const { criteria } = allowedOrThrow(
      await this.access.decide(sessionReadPermission, credentials),
      'read sessions',
    );
    const counts = await this.store.countOpenSessions({
      userRef: scope.all ? undefined : (scope.user ?? callerRef(credentials)),
      access: criteria,
    });
    const open = counts.active + counts.idle;
    return {
      active: counts.active,
      idle: counts.idle,
      terminating: counts.terminating,
      totalOpenDurationMs: Math.max(0, open * this.now() - counts.startedAtSum),
    };
  }

  /** A session the caller may read; others are reported as not found. */
  async get(credentials: UserCredentials, id: string): Promise<Session> {
    const read = await this.access.decide(sessionReadPermission, credentials);
    const session = read.allowed
      ? await this.store.getSession(id, read.criteria)
      : undefined;
    if (!session) {
      throw new NotFoundError(`No session with id ${id}`);
    }
    const [shown] = await this.withRecordings(credentials, [session]);
    return shown;
  }

  /** Adds where to watch each recorded session the caller may watch. */
  private async withRecordings(
    credentials: UserCredentials,
    sessions: Session[],
  ): Promise<Session[]> {
    const recorded = sessions.filter(session => session.recorded);
    if (!recorded.length) return sessions;
    const view = await this.access.decide(
      sessionRecordingViewPermission,
      credentials,
    );
    if (!view.allowed) return sessions;
    const recordings = await this.store.listRecordings(
      recorded.map(session => session.id),
      view.criteria,
    );
    return sessions.map(session => {
      const recording = recordings.get(session.id);
      return recording ? { ...session, recording } : session;
    });
  }

  /**
   * Ends one session. Ending one that is already over changes nothing and
   * returns it as it is.
   */
  async endOne(
    credentials: UserCredentials,
    id: string,
    proof?: string,
  ): Promise<{ session: Session; ended: boolean }> {
    const session = await this.get(credentials, id);
    const { criteria } = allowedOrThrow(
      await this.access.decide(sessionTerminatePermission, credentials),
      'end sessions',
    );
    if (criteria && !(await this.store.getSession(id, criteria))) {
      throw new NotAllowedError('You are not allowed to end this session');
    }
    const caller = callerRef(credentials);
    if (session.userRef !== caller) {
      await this.stepUp.require({ userRef: caller, proof }, 'act-for-others');
    }
    const [ended] = await this.store.endSessions(
      { ids: [id], access: criteria },
      {
        reason: session.userRef === caller ? 'user' : 'admin',
        endedBy: caller,
        at: this.now(),
        orderConnector: true,
      },
    );
    // `ended` is false when the session had already ended (or another
    // replica ended it first): the call then changed nothing.
    return ended
      ? { session: ended, ended: true }
      : { session: await this.get(credentials, id), ended: false };
  }

  /**
   * The caller reports a session of theirs as not theirs: it is marked
   * (the first report is kept) and ended if open, security is told of a
   * first report, and with `endOthers` every other open session of theirs
   * ends too. Someone else's session is not found, whatever the policy
   * lets the caller read: only its person can say it is not them.
   */
  async report(
    credentials: UserCredentials,
    id: string,
    report: { note: string; endOthers?: boolean; exceptId?: string },
    proof?: string,
  ): Promise<{ session: Session; reported: boolean; endedOthers: string[] }> {
    const caller = callerRef(credentials);
    const session = await this.get(credentials, id);
    if (session.userRef !== caller) {
      throw new NotFoundError(`No session with id ${id}`);
    }
    // Whatever can refuse is asked before anything is written: a step-up
    // retried after the code must not find the report already taken.
    if (report.endOthers) {
      await this.stepUp.require({ userRef: caller, proof }, 'end-all-sessions');
    }
    const open = OPEN_SESSION_STATUSES.includes(session.status);
    let access: SessionCriteria | undefined;
    if (open || report.endOthers) {
      ({ criteria: access } = allowedOrThrow(
        await this.access.decide(sessionTerminatePermission, credentials),
        'end sessions',
      ));
      if (open && access && !(await this.store.getSession(id, access))) {
        throw new NotAllowedError('You are not allowed to end this session');
      }
    }
    const at = this.now();
    const result = await this.store.reportSession(
      id,
      { note: report.note, by: caller, at },
      { reason: 'reported', endedBy: caller, at, orderConnector: true, access },
    );
    if (!result) {
      throw new NotFoundError(`No session with id ${id}`);
    }
    if (result.reported) {
      await this.reportAlerts?.send(result.session);
    }
    const endedOthers = report.endOthers
      ? await this.endAll(credentials, { exceptId: report.exceptId }, proof)
      : [];
    return { ...result, endedOthers: endedOthers.map(other => other.id) };
  }

  /**
   * Ends every open session of the caller, except `exceptId`, or only
   * those of one `source` (all portal sign-ins but this browser's).
   */
  async endAll(
    credentials: UserCredentials,
    which: { exceptId?: string; source?: string } = {},
    proof?: string,
  ): Promise<Session[]> {
    const read = allowedOrThrow(
      await this.access.decide(sessionReadPermission, credentials),
      'read sessions',
    );
    const terminate = allowedOrThrow(
      await this.access.decide(sessionTerminatePermission, credentials),
      'end sessions',
    );
    const caller = callerRef(credentials);
    await this.stepUp.require({ userRef: caller, proof }, 'end-all-sessions');
    const access = [read.criteria, terminate.criteria].filter(
      (criteria): criteria is SessionCriteria => criteria !== undefined,
    );
    return this.store.endSessions(
      {
        userRef: caller,
        exceptIds: which.exceptId ? [which.exceptId] : undefined,
        source: which.source,
        access: access.length
          ? { allOf: access as [SessionCriteria] }
          : undefined,
      },
      { reason: 'user', endedBy: caller, at: this.now(), orderConnector: true },
    );
  }
}
