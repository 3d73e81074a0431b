import { SessionLimits } from './sessionLimits';
import { PersonalTimeoutBounds } from '../config';
import {
  SessionCriteria,
  SessionFilter,
} from '@active-sessions/plugin-sessions-node';
import {
  EndReason,
  AnomalyFlag,
  ResourceType,
  Session,
  SessionRecording,
  SessionSortField,
  SessionStatus,
} from '@active-sessions/plugin-sessions-common';

export type { SessionFilter, SessionCriteria };

/** A session as a connector reports its start. Instants are epoch ms. */
export interface NewSession {
  id: string;
  source: string;
  externalId: string;
  userRef: string;
  resourceName: string;
  resourceType: ResourceType;
  device: string | null;
  userAgent: string | null;
  ipAddress: string | null;
  location: string | null;
  /** Looked up from the address at ingest, for rules on places. */
  countryCode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  /** Set at ingest when the start looks unusual for its user. */
  flags?: AnomalyFlag[];
  flagDetail?: string | null;
  /** A recording the connector sent with the start (ssh and rdp). */
  recording?: SessionRecording;
  startedAt: number;
  lastActivityAt: number;
}

/** A recording a connector attaches to one of its sessions. */
export interface RecordingAttachment extends SessionRecording {
  externalId: string;
}

/** What an insert did. */
export interface InsertedSessions {
  insertedExternalIds: string[];
  /** External ids refused for their user's concurrent session limit. */
  overLimit: string[];
  /** Sessions ended to make room under a limit. */
  endedForLimit: Session[];
}

/** Which sessions a list or an end applies to; every field narrows. */
export interface SessionSelector {
  ids?: string[];
  userRef?: string;
  exceptIds?: string[];
  source?: string;
  externalIds?: string[];
  statuses?: SessionStatus[];
  /** Only sessions flagged for review. */
  flagged?: boolean;
  /** Only sessions their person reported as not theirs. */
  reported?: boolean;
  /** Only sessions that ended at or after this instant (epoch ms). */
  endedFrom?: number;
  /** Only sessions that ended before this instant (epoch ms). */
  endedBefore?: number;
  /** Permission conditions the sessions must also meet. */
  access?: SessionCriteria;
}

export interface SessionListQuery extends SessionSelector {
  types?: ResourceType[];
  /** Case-insensitive text in resource, device, address or location. */
  text?: string;
  sort: SessionSortField;
  order: 'asc' | 'desc';
  limit: number;
  /** Keyset position: rows strictly after this sort value and id. */
  after?: { value: string | number; id: string };
}

export interface SessionEnding {
  reason: EndReason;
  endedBy: string;
  at: number;
  /**
   * Record an order for the session's connector to cut it at the source,
   * in the same transaction. Not when the connector reported the end.
   */
  orderConnector: boolean;
}

/** A person's report that a session of theirs is not theirs. */
export interface SessionReport {
  /** What they wrote, for the security team. */
  note: string;
  /** Who reported it (its person). */
  by: string;
  at: number;
}

export interface OpenSessionCounts {
  active: number;
  idle: number;
  terminating: number;
  /** Sum of `started_at` over open sessions, for total duration. */
  startedAtSum: number;
}

export interface SessionEvent {
  id: number;
  sessionId: string;
  type:
    | 'started'
    | 'idle'
    | 'idle_warning'
    | 'resumed'
    | 'ended'
    | 'cut_confirmed'
    | 'cut_failed'
    | 'recorded'
    | 'reported';
  fromStatus: SessionStatus | null;
  toStatus: SessionStatus | null;
  actor: string | null;
  reason: string | null;
  createdAt: string;
}

export interface SweepCutoffs {
  at: number;
  /** Active sessions without activity since this instant become idle. */
  idleBefore: number;
  warnBefore: number;
  disconnectBefore: number;
  /** Open sessions started before this instant reach their max lifetime. */
  startedBefore: number;
  /**
   * The ranges people's own times are held in, when they may choose them:
   * then the three cutoffs above are the portal's, for everyone else.
   */
  personal?: PersonalTimeoutBounds;
  actor: string;
}

export interface SweepCounts {
  idled: number;
  /** Sessions warned: their warnings wait in the idle warning store. */
  warned: number;
  timedOut: number;
  expired: number;
  /** Portal sign-ins ended because their code did not come in time. */
  noCode: number;
  /** Their ids: each is audited as a second factor's outcome. */
  noCodeIds: string[];
  /** Ids of sessions the sweep ended. */
  endedIds: string[];
}

/**
 * Persistence of sessions. Speaks SQL only: callers hand it decisions
 * (permission criteria, cutoffs) and it turns them into conditional
 * statements, each state change one `UPDATE ... WHERE status = <from>`.
 */
export interface SessionStore {
  /**
   * Inserts the sessions not yet known by source and external id, within
   * `limits`: past a user's limit a new session is refused or the oldest
   * open one is ended (reason `policy`, with an order to cut it).
   */
  insertSessions(
    sessions: NewSession[],
    actor: string,
    limits?: SessionLimits,
  ): Promise<InsertedSessions>;
  findStatusByExternalId(
    source: string,
    externalIds: string[],
  ): Promise<Map<string, SessionStatus>>;
  /** Moves last activity forward; idle sessions become active again. */
  recordActivity(
    source: string,
    externalIds: string[],
    at: number,
  ): Promise<void>;
  listSessions(query: SessionListQuery): Promise<Session[]>;
  getSession(
    id: string,
    access?: SessionCriteria,
  ): Promise<Session | undefined>;
  /** The sessions with these ids, in no particular order. */
  getSessions(ids: string[]): Promise<Session[]>;
  countOpenSessions(selector: SessionSelector): Promise<OpenSessionCounts>;
  /** Folds pending changes into the running totals; how many it folded. */
  foldTotals(): Promise<number>;
  /**
   * Open sessions the selector matches, counted per user whose entity ref
   * contains `text`; the first `limit` users in entity ref order.
   */
  countOpenByUser(
    selector: SessionSelector,
    text: string | undefined,
    limit: number,
  ): Promise<Array<{ userRef: string; count: number }>>;
  /** Open sessions the selector matches, counted per resource. */
  countOpenByResource(
    selector: SessionSelector,
  ): Promise<
    Array<{ resourceName: string; resourceType: string; count: number }>
  >;
  /**
   * Ends the open sessions the selector matches; returns those it ended.
   * With `orderConnector` they become `terminating` and an order goes to
   * their connector; without, they are `disconnected` at once, and pending
   * ones matched are confirmed cut.
   */
  endSessions(
    selector: SessionSelector,
    ending: SessionEnding,
  ): Promise<Session[]>;
  /**
   * Marks a session reported, unless it was already (the first report is
   * kept; `reported` is then false), and ends it as `ending` says if it is
   * still open and meets `access`: one transaction. Undefined when there
   * is no such session.
   */
  reportSession(
    id: string,
    report: SessionReport,
    ending: SessionEnding & { access?: SessionCriteria },
  ): Promise<{ session: Session; reported: boolean } | undefined>;
  sweep(cutoffs: SweepCutoffs): Promise<SweepCounts>;
  /**
   * Sets the recording of the named sessions of `source`, with a
   * `recorded` event each; how many changed. Unknown ids are skipped.
   */
  attachRecordings(
    source: string,
    recordings: RecordingAttachment[],
    actor: string,
    at: number,
  ): Promise<number>;
  /** The recordings of those of these sessions that meet `access`. */
  listRecordings(
    ids: string[],
    access?: SessionCriteria,
  ): Promise<Map<string, SessionRecording>>;
  listEvents(sessionId: string): Promise<SessionEvent[]>;
}
