/** The kinds of resource a session can be held on. */
export const RESOURCE_TYPES = ['ssh', 'rdp', 'web', 'portal'] as const;
/** @public */
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/**
 * `active` and `idle` sessions are open; `disconnected` is final and kept as
 * history.
 */
export const SESSION_STATUSES = ['active', 'idle', 'disconnected'] as const;
/** @public */
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** The statuses that count as an open session. */
export const OPEN_SESSION_STATUSES: readonly SessionStatus[] = [
  'active',
  'idle',
];

/** Why a session ended. */
export const END_REASONS = [
  'user',
  'admin',
  'idle_timeout',
  'max_lifetime',
  'policy',
  'connector',
  'offboarding',
] as const;
/** @public */
export type EndReason = (typeof END_REASONS)[number];

/** A live or past connection of a user to a resource. Times are ISO 8601. */
export interface Session {
  id: string;
  userRef: string;
  resourceName: string;
  resourceType: ResourceType;
  /** The connector that reported the session. */
  source: string;
  /** The session's id at its source. */
  externalId: string;
  device: string | null;
  userAgent: string | null;
  ipAddress: string | null;
  location: string | null;
  status: SessionStatus;
  startedAt: string;
  lastActivityAt: string;
  /** Set once the session has been idle long enough to be warned about. */
  idleWarnedAt: string | null;
  endedAt: string | null;
  endReason: EndReason | null;
  /** Entity ref of the person, or id of the connector or job, that ended it. */
  endedBy: string | null;
}

/** Counters for the header of the Active Sessions page. */
export interface SessionStats {
  active: number;
  idle: number;
  /** Sum of the durations of every open session, in milliseconds. */
  totalOpenDurationMs: number;
}

/** One page of sessions; `nextCursor` is absent on the last page. */
export interface SessionPage {
  items: Session[];
  nextCursor?: string;
}

/** The answer to ending one or many sessions. */
export interface EndSessionsResult {
  /** Ids of the sessions this request ended. */
  ended: string[];
}

/** The answer to a connector's batch. */
export interface IngestResult {
  /** Items the batch changed something for. */
  accepted: number;
  /** External ids the batch named that are not known for this source. */
  unknown: string[];
  /**
   * External ids that are already disconnected here: a connector should cut
   * them at the source if they are still live there.
   */
  ended: string[];
}

/** An order for a connector: cut a session or remove a grant at the source. */
export interface ConnectorCommand {
  /** Increasing; read the feed after the last id you processed. */
  id: number;
  action: 'end_session' | 'revoke_grant';
  subjectType: 'session' | 'grant';
  subjectId: string;
  externalId: string;
  reason: string | null;
  requestedBy: string | null;
  createdAt: string;
}

/** One read of the command feed. */
export interface CommandFeedPage {
  commands: ConnectorCommand[];
  /** Pass as `after` next time; unchanged when nothing was returned. */
  cursor: number;
}
