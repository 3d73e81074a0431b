/**
 * The kinds of resource a session can be held on.
 *
 * @public
 */
export const RESOURCE_TYPES = ['ssh', 'rdp', 'web', 'portal'] as const;
/** @public */
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/**
 * `active` and `idle` sessions are open. A session ended here becomes
 * `terminating` until its connector confirms the cut at the source, then
 * `disconnected`, which is final and kept as history.
 *
 * @public
 */
export const SESSION_STATUSES = [
  'active',
  'idle',
  'terminating',
  'disconnected',
] as const;
/** @public */
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * The statuses that count as an open session, one a person can end.
 *
 * @public
 */
export const OPEN_SESSION_STATUSES: readonly SessionStatus[] = [
  'active',
  'idle',
];

/**
 * Sessions still live at their source: open, or ended but not yet cut.
 *
 * @public
 */
export const LIVE_SESSION_STATUSES: readonly SessionStatus[] = [
  ...OPEN_SESSION_STATUSES,
  'terminating',
];

/**
 * Why a session ended.
 *
 * @public
 */
export const END_REASONS = [
  'user',
  'admin',
  'idle_timeout',
  'max_lifetime',
  'policy',
  'connector',
  'offboarding',
  'second_factor',
  'reported',
] as const;
/** @public */
export type EndReason = (typeof END_REASONS)[number];

/**
 * A live or past connection of a user to a resource. Times are ISO 8601.
 *
 * @public
 */
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
  /** A `terminating` session not confirmed by then is flagged as such. */
  cutDeadlineAt: string | null;
  /** When the source confirmed the session is cut. */
  cutConfirmedAt: string | null;
  /** The connector's message when it reported it could not cut. */
  cutFailure: string | null;
  /** Why the session was flagged for review at its start; empty: it was not. */
  flags: AnomalyFlag[];
  /** The flags in words: which device, which countries, how fast. */
  flagDetail: string | null;
  /** Whether the connector attached a recording (ssh and rdp only). */
  recorded: boolean;
  /**
   * A portal sign-in waiting for the person's authenticator code: ended
   * at this instant if none comes. Null otherwise.
   */
  codeDueAt: string | null;
  /** When its person reported it as not theirs; null: never reported. */
  reportedAt: string | null;
  /** What they wrote in that report (the first report's, if several). */
  reportNote: string | null;
  /**
   * Where to watch it: only in answers to callers the `recording view`
   * permission allows for this session.
   */
  recording?: SessionRecording;
}

/**
 * The resource types a connector may attach a recording to.
 *
 * @public
 */
export const RECORDABLE_RESOURCE_TYPES: readonly ResourceType[] = [
  'ssh',
  'rdp',
];

/**
 * A recording of a session, kept where the connector stored it.
 *
 * @public
 */
export interface SessionRecording {
  /** Where it is played or downloaded (http or https). */
  url: string;
  /** What it is, e.g. `asciicast`, `video`, `guacamole`. */
  kind: string;
}

/**
 * Reasons a session is flagged for review: a device or a country its user
 * has not used within the lookback, or travel faster than a plane since
 * their previous session.
 *
 * @public
 */
export const ANOMALY_FLAGS = [
  'new_device',
  'new_country',
  'impossible_travel',
] as const;
/** @public */
export type AnomalyFlag = (typeof ANOMALY_FLAGS)[number];

/**
 * Counters for the header of the Active Sessions page.
 *
 * @public
 */
export interface SessionStats {
  active: number;
  idle: number;
  /** Ended here, waiting for their connector to confirm the cut. */
  terminating: number;
  /** Sum of the durations of every open session, in milliseconds. */
  totalOpenDurationMs: number;
}

/**
 * One page of sessions; `nextCursor` is absent on the last page.
 *
 * @public
 */
export interface SessionPage {
  items: Session[];
  nextCursor?: string;
}

/**
 * The answer to ending one or many sessions.
 *
 * @public
 */
export interface EndSessionsResult {
  /** Ids of the sessions this request ended. */
  ended: string[];
}

/**
 * The answer to a connector's batch.
 *
 * @public
 */
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
  /**
   * On start and report: external ids of new sessions or grants refused
   * because their user is locked (offboarded). Do not let them in; cut
   * them if they are.
   */
  refused?: string[];
  /**
   * On session start: external ids of new sessions refused because their
   * user is at their concurrent session limit (`sessions.limits`, onExceed
   * `deny`). Do not let them in; cut them if they are.
   */
  overLimit?: string[];
}

/**
 * An order for a connector: cut a session or remove a grant at the source.
 *
 * @public
 */
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

/**
 * One read of the command feed.
 *
 * @public
 */
export interface CommandFeedPage {
  commands: ConnectorCommand[];
  /** Pass as `after` next time; unchanged when nothing was returned. */
  cursor: number;
}

/**
 * A connector as admins see it on the Connectors tab.
 *
 * @public
 */
export interface ConnectorStatus {
  id: string;
  /** From app-config; the id when none is configured. */
  title: string;
  /** Declared in `sessions.connectors.sources`; others were only seen. */
  configured: boolean;
  /** When it last read its order feed; null if never. */
  lastPollAt: string | null;
  /** It read its feed within `sessions.connectors.offlineAfter`. */
  online: boolean;
  /** Orders not yet acknowledged, and when the oldest was issued. */
  pendingOrders: number;
  oldestPendingAt: string | null;
  /**
   * The service credential subject that last spoke for this source (see
   * `sessions.connectors.sources.<id>.subjects`), and when.
   */
  lastSubject: string | null;
  lastSubjectAt: string | null;
  /** Where orders are pushed, when a webhook is configured. */
  webhookUrl: string | null;
  /** The last push that failed after its retries, if any. */
  webhookFailure: { at: string; message: string } | null;
}

/**
 * The concurrent session limits that apply (`GET /limits`).
 *
 * @public
 */
export interface SessionLimitsInfo {
  /** Open sessions of any kind a person may hold; null: no limit. */
  maxPerUser: number | null;
  /** Per kind of session, counting only that kind. */
  perType: Partial<Record<ResourceType, number>>;
  /** Past the limit: refuse the new session, or end the oldest. */
  onExceed: 'deny' | 'endOldest';
}

/**
 * The signals channel pages listen on for changes to what they show.
 *
 * @public
 */
export const SESSIONS_SIGNAL_CHANNEL = 'active-sessions';

/**
 * A signal on that channel: reload, something you see changed.
 *
 * @public
 */
export interface SessionsChangedSignal {
  [key: string]: string;
  type: 'changed';
}

/**
 * How each kind of session is named to people.
 *
 * @public
 */
export const RESOURCE_TYPE_LABELS: Record<ResourceType, string> = {
  ssh: 'SSH',
  rdp: 'RDP',
  web: 'Web',
  portal: 'Portal sign-in',
};

/**
 * The default idle warning (`sessions.idleWarning.message`).
 *
 * @public
 */
export const DEFAULT_IDLE_WARNING =
  'Your {type} session to {resource} will be disconnected in {minutes} minutes';

/**
 * The idle warning for a session: `{type}`, `{resource}` and `{minutes}` in
 * the template are replaced; `minutes` is how long until the idle cut.
 *
 * @public
 */
export function idleWarningText(
  template: string,
  session: Pick<Session, 'resourceType' | 'resourceName'>,
  minutes: number,
): string {
  return template
    .replace(
      /\{type\}/g,
      RESOURCE_TYPE_LABELS[session.resourceType] ?? session.resourceType,
    )
    .replace(/\{resource\}/g, session.resourceName)
    .replace(/\{minutes\}/g, String(Math.max(0, minutes)));
}

/**
 * The rules sessions live by (`GET /settings`), for the page to explain.
 *
 * @public
 */
export interface SessionsSettingsInfo {
  limits: SessionLimitsInfo;
  /** The caller's: the portal's times, or those they chose. */
  timeouts: {
    idleAfterMs: number;
    warnAfterMs: number;
    disconnectAfterMs: number;
    maxLifetimeMs: number;
    /** What people may choose; null: everyone has the portal's times. */
    personal: PersonalTimeoutsInfo | null;
  };
  idleWarning: { message: string };
}

/**
 * A range of durations a person may choose from, in milliseconds.
 *
 * @public
 */
export interface DurationBounds {
  minMs: number;
  maxMs: number;
}

/**
 * The idle and disconnect times people may choose for their own sessions
 * (`sessions.personalTimeouts`), and whether the caller chose theirs.
 *
 * @public
 */
export interface PersonalTimeoutsInfo {
  /** The caller chose their own times; false: the portal's apply. */
  chosen: boolean;
  /** The policy lets the caller choose (`sessions.timeouts.update`). */
  mayChoose: boolean;
  /** The portal's times, for everyone who chose none. */
  defaults: {
    idleAfterMs: number;
    warnAfterMs: number;
    disconnectAfterMs: number;
  };
  bounds: { idleAfterMs: DurationBounds; disconnectAfterMs: DurationBounds };
}

/**
 * Whether the policy lets the caller read anyone else's sessions or grants
 * (`GET /capabilities`), so the page offers "Everyone I may see" only where
 * it would show more than the caller's own.
 *
 * @public
 */
export interface SessionsCapabilities {
  /** `sessions.session.read` reaches someone other than the caller. */
  readsOthersSessions: boolean;
  /** `sessions.grant.read` reaches someone other than the caller. */
  readsOthersGrants: boolean;
}
