import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  ListSessionsQuery,
  Session,
  SessionPage,
  SessionStats,
  sessionReadPermission,
  sessionTerminatePermission,
} from '@internal/plugin-sessions-common';
import { SessionCriteria, SessionStore } from '../database/SessionStore';
import { AccessDecision, SessionAccess } from '../permissions/SessionAccess';
import { decodeCursor, encodeCursor } from './cursor';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

function allowedOrThrow(decision: AccessDecision, action: string) {
  if (!decision.allowed) {
    throw new NotAllowedError(`You are not allowed to ${action}`);
  }
  return decision;
}

/**
 * What a person can do with sessions: list, count, look at and end them,
 * within what the permission policy allows.
 */
export class SessionService {
  constructor(
    private readonly store: SessionStore,
    private readonly access: SessionAccess,
    private readonly now: () => number = Date.now,
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
      userRef: query.user ?? credentials.principal.userEntityRef,
      statuses: query.status,
      types: query.type,
      text: query.q || undefined,
      sort: query.sort,
      order: query.order,
      limit: query.limit + 1,
      after: query.cursor ? decodeCursor(query.cursor, query) : undefined,
      access: criteria,
    });
    const items = rows.slice(0, query.limit);
    return rows.length > query.limit
      ? { items, nextCursor: encodeCursor(query, items[items.length - 1]) }
      : { items };
  }

  async stats(
    credentials: UserCredentials,
    user?: string,
  ): Promise<SessionStats> {
    const { criteria } = allowedOrThrow(
      await this.access.decide(sessionReadPermission, credentials),
      'read sessions',
    );
    const counts = await this.store.countOpenSessions({
      userRef: user ?? credentials.principal.userEntityRef,
      access: criteria,
    });
    const open = counts.active + counts.idle;
    return {
      active: counts.active,
      idle: counts.idle,
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
    return session;
  }

  /**
   * Ends one session. Ending one that is already over changes nothing and
   * returns it as it is.
   */
  async endOne(credentials: UserCredentials, id: string): Promise<Session> {
    const session = await this.get(credentials, id);
    const { criteria } = allowedOrThrow(
      await this.access.decide(sessionTerminatePermission, credentials),
      'end sessions',
    );
    if (criteria && !(await this.store.getSession(id, criteria))) {
      throw new NotAllowedError('You are not allowed to end this session');
    }
    const caller = credentials.principal.userEntityRef;
    const [ended] = await this.store.endSessions(
      { ids: [id], access: criteria },
      {
        reason: session.userRef === caller ? 'user' : 'admin',
        endedBy: caller,
        at: this.now(),
      },
    );
    return ended ?? (await this.get(credentials, id));
  }

  /** Ends every open session of the caller, except `exceptId` if given. */
  async endAll(
    credentials: UserCredentials,
    exceptId?: string,
  ): Promise<Session[]> {
    const read = allowedOrThrow(
      await this.access.decide(sessionReadPermission, credentials),
      'read sessions',
    );
    const terminate = allowedOrThrow(
      await this.access.decide(sessionTerminatePermission, credentials),
      'end sessions',
    );
    const caller = credentials.principal.userEntityRef;
    const access = [read.criteria, terminate.criteria].filter(
      (criteria): criteria is SessionCriteria => criteria !== undefined,
    );
    return this.store.endSessions(
      {
        userRef: caller,
        exceptIds: exceptId ? [exceptId] : undefined,
        access: access.length
          ? { allOf: access as [SessionCriteria] }
          : undefined,
      },
      { reason: 'user', endedBy: caller, at: this.now() },
    );
  }
}
