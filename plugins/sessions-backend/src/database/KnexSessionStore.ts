import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  chunks,
  insertNewBySourceAndExternalId,
  statusByExternalId,
  toIso,
  toIsoOrNull,
  transitionRows,
  transitionMarked,
  fromRow,
  insertPerMarkedRow,
  insertPerRow,
  whereAfter,
  whereContains,
  whereCriteria,
  countPerUser,
  FilterColumn,
} from './sqlHelpers';
import { prepareSqliteSearch } from './sqliteUnicodeLower';
import { QuietLimits, quietPast } from './quietPast';
import { whereManagedBy } from './KnexManagedMembersStore';
import { foldTotals, readTotals, recordTotalsChange } from './sessionTotals';
import {
  SessionLimits,
  admitWithinLimits,
  ensureLimitLocks,
} from './sessionLimits';
import {
  EndReason,
  LIVE_SESSION_STATUSES,
  OPEN_SESSION_STATUSES,
  AnomalyFlag,
  ResourceType,
  Session,
  SessionRecording,
  SessionStatus,
} from '@active-sessions/plugin-sessions-common';
import {
  OnOrdered,
  recordConnectorOrders,
  recordConnectorOrdersForMarked,
} from './connectorOrders';
import {
  DEFAULT_CONFIRM_WITHIN_MS,
  SESSION_CUTS,
  confirmCuts,
} from './cutConfirmations';
import {
  InsertedSessions,
  NewSession,
  OpenSessionCounts,
  RecordingAttachment,
  SessionCriteria,
  SessionEnding,
  SessionEvent,
  SessionFilter,
  SessionListQuery,
  SessionReport,
  SessionSelector,
  SessionStore,
  SweepCounts,
  SweepCutoffs,
} from './SessionStore';

const SESSIONS = 'sessions';
const EVENTS = 'session_events';
const IDLE_WARNINGS_DUE = 'idle_warnings_due';

type SessionRow = {
  id: string;
  user_ref: string;
  resource_name: string;
  resource_type: string;
  source: string;
  external_id: string;
  device: string | null;
  user_agent: string | null;
  ip_address: string | null;
  location: string | null;
  status: string;
  started_at: number | string;
  last_activity_at: number | string;
  idle_warned_at: number | string | null;
  flags?: string | null;
  flag_detail?: string | null;
  recording_url?: string | null;
  code_due_at?: number | string | null;
  reported_at?: number | string | null;
  report_note?: string | null;
  ended_at: number | string | null;
  end_reason: string | null;
  ended_by: string | null;
  transition_id: string | null;
  cut_deadline_at: number | string | null;
  cut_confirmed_at: number | string | null;
  cut_failure: string | null;
};

type EventRow = {
  session_id: string;
  event_type: SessionEvent['type'];
  from_status: SessionStatus | null;
  to_status: SessionStatus | null;
  actor: string | null;
  reason: string | null;
  created_at: number;
};

const FILTER_COLUMNS: Record<SessionFilter['property'], FilterColumn> = {
  userRef: 'user_ref',
  managedBy: (query, managerRefs) =>
    whereManagedBy(query, 'user_ref', managerRefs),
  resourceType: 'resource_type',
  status: 'status',
  source: 'source',
};

const SORT_COLUMNS = {
  startedAt: 'started_at',
  lastActivityAt: 'last_activity_at',
  endedAt: 'ended_at',
  resourceName: 'resource_name',
} as const;

const SEARCHED_COLUMNS = ['resource_name', 'device', 'ip_address', 'location'];

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    userRef: row.user_ref,
    resourceName: row.resource_name,
    resourceType: row.resource_type as ResourceType,
    source: row.source,
    externalId: row.external_id,
    device: row.device,
    userAgent: row.user_agent,
    ipAddress: row.ip_address,
    location: row.location,
    status: row.status as SessionStatus,
    startedAt: toIso(row.started_at),
    lastActivityAt: toIso(row.last_activity_at),
    idleWarnedAt: toIsoOrNull(row.idle_warned_at),
    endedAt: toIsoOrNull(row.ended_at),
    endReason: row.end_reason as EndReason | null,
    endedBy: row.ended_by,
    cutDeadlineAt: toIsoOrNull(row.cut_deadline_at),
    cutConfirmedAt: toIsoOrNull(row.cut_confirmed_at),
    cutFailure: row.cut_failure,
    flags: row.flags ? (row.flags.split(',') as AnomalyFlag[]) : [],
    flagDetail: row.flag_detail ?? null,
    // Where to watch it is read separately, for callers allowed to.
    recorded: Boolean(row.recording_url),
    codeDueAt: toIsoOrNull(row.code_due_at ?? null),
    reportedAt: toIsoOrNull(row.reported_at ?? null),
    reportNote: row.report_note ?? null,
  };
}

function whereSelector(query: Knex.QueryBuilder, selector: SessionSelector) {
  if (selector.ids) query.whereIn('id', selector.ids);
  if (selector.userRef) query.where('user_ref', selector.userRef);
  if (selector.exceptIds?.length) query.whereNotIn('id', selector.exceptIds);
  if (selector.source) query.where('source', selector.source);
  if (selector.externalIds) query.whereIn('external_id', selector.externalIds);
  if (selector.statuses) query.whereIn('status', selector.statuses);
  if (selector.flagged) query.whereNotNull('flags');
  if (selector.reported) query.whereNotNull('reported_at');
  if (selector.endedFrom !== undefined) {
    query.where('ended_at', '>=', selector.endedFrom);
  }
  if (selector.endedBefore !== undefined) {
    query.where('ended_at', '<', selector.endedBefore);
  }
  if (selector.access) whereCriteria(query, selector.access, FILTER_COLUMNS);
}

function pageOrder(query: SessionListQuery) {
  return [
    { column: SORT_COLUMNS[query.sort], order: query.order },
    { column: 'id', order: query.order },
  ];
}

/**
 * Everyone's sessions in several statuses are read one status at a time,
 * each from its (status, column, id) index, and merged: one range over all
 * statuses walked the sort column's index and skipped the history between
 * open rows. One person's sessions are few; their own index serves them.
 */
function mergesPerStatus(query: SessionListQuery) {
  return (
    !query.userRef &&
    !query.ids &&
    (query.sort === 'lastActivityAt' ||
      query.sort === 'startedAt' ||
      query.sort === 'endedAt')
  );
}

/** The {@link SessionStore} on any database knex speaks to. */
export class KnexSessionStore implements SessionStore {
  constructor(
    private readonly db: Knex,
    private readonly options: {
      confirmWithinMs: number;
      /** Told once orders for connectors have committed. */
      onOrdered?: OnOrdered;
    } = {
      confirmWithinMs: DEFAULT_CONFIRM_WITHIN_MS,
    },
  ) {
    prepareSqliteSearch(db);
  }

  async insertSessions(
    sessions: NewSession[],
    actor: string,
    limits?: SessionLimits,
  ): Promise<InsertedSessions> {
    if (limits)
      await ensureLimitLocks(
        this.db,
        sessions.map(s => s.userRef),
      );
    return this.db.transaction(async trx => {
      const { admitted, overLimit, toEnd } = limits
        ? await admitWithinLimits(trx, sessions, limits)
        : { admitted: sessions, overLimit: [], toEnd: [] };
      // Room for the new ones: the oldest end, with orders to cut them.
      const endedForLimit = toEnd.length
        ? await this.endWithin(
            trx,
            { ids: toEnd },
            {
              reason: 'policy',
              endedBy: actor,
              at: Date.now(),
              orderConnector: true,
            },
          )
        : [];
      const inserted = await insertNewBySourceAndExternalId<SessionRow>(trx, {
        table: SESSIONS,
        rows: admitted.map(session => ({
          id: session.id,
          user_ref: session.userRef,
          resource_name: session.resourceName,
          resource_type: session.resourceType,
          source: session.source,
          external_id: session.externalId,
          device: session.device,
          user_agent: session.userAgent,
          ip_address: session.ipAddress,
          location: session.location,
          country_code: session.countryCode ?? null,
          latitude: session.latitude ?? null,
          longitude: session.longitude ?? null,
          flags: session.flags?.length ? session.flags.join(',') : null,
          flag_detail: session.flagDetail ?? null,
          recording_url: session.recording?.url ?? null,
          recording_kind: session.recording?.kind ?? null,
          status: 'active',
          started_at: session.startedAt,
          last_activity_at: session.lastActivityAt,
        })),
        history: {
          table: EVENTS,
          row: row => ({
            session_id: row.id,
            event_type: 'started',
            from_status: null,
            to_status: 'active',
            actor,
            reason: null,
            created_at: Number(row.started_at),
          }),
        },
        afterInsert: (trx2, marker) =>
          recordTotalsChange(trx2, marker, null, 'active'),
      });
      return {
        insertedExternalIds: inserted.map(row => row.external_id),
        overLimit,
        endedForLimit,
      };
    });
  }

  async findStatusByExternalId(
    source: string,
    externalIds: string[],
  ): Promise<Map<string, SessionStatus>> {
    return statusByExternalId(this.db, SESSIONS, source, externalIds);
  }

  async recordActivity(
    source: string,
    externalIds: string[],
    at: number,
  ): Promise<void> {
    await this.db.transaction(async trx => {
      for (const chunk of chunks(externalIds)) {
        // One UPDATE moves activity forward on active and idle sessions
        // alike and tags the idle ones it resumes; only those get history.
        const resumed = randomUUID();
        await trx(SESSIONS)
          .where('source', source)
          .whereIn('external_id', chunk)
          .where('last_activity_at', '<', at)
          .whereIn('status', ['active', 'idle'])
          .update({
            // First: MySQL assigns left to right, and must still see `idle`.
            transition_id: trx.raw('CASE WHEN ?? = ? THEN ? ELSE ?? END', [
              'status',
              'idle',
              resumed,
              'transition_id',
            ]),
            status: 'active',
            last_activity_at: at,
            idle_warned_at: null,
          });
        await insertPerMarkedRow(trx, SESSIONS, resumed, {
          table: EVENTS,
          columns: {
            session_id: fromRow('id'),
            event_type: 'resumed',
            from_status: 'idle',
            to_status: 'active',
            actor: source,
            reason: null,
            created_at: at,
          },
        });
        await recordTotalsChange(trx, resumed, 'idle', 'active');
      }
    });
  }

  async listSessions(query: SessionListQuery): Promise<Session[]> {
    const { statuses } = query;
    const rows: SessionRow[] =
      statuses && statuses.length > 1 && mergesPerStatus(query)
        ? await this.db
            .unionAll(
              statuses.map((status, i) =>
                this.db
                  .select('*')
                  .from(
                    this.page({ ...query, statuses: [status] }).as(`s${i}`),
                  ),
              ),
            )
            .orderBy(pageOrder(query))
            .limit(query.limit)
        : await this.page(query);
    return rows.map(toSession);
  }

  /** One page of sessions in one query, in the page's order. */
  private page(query: SessionListQuery) {
    const column = SORT_COLUMNS[query.sort];
    return this.db<SessionRow>(SESSIONS)
      .modify(builder => {
        whereSelector(builder, query);
        if (query.types) builder.whereIn('resource_type', query.types);
        if (query.text) whereContains(builder, SEARCHED_COLUMNS, query.text);
        if (query.after) whereAfter(builder, column, query.order, query.after);
      })
      .orderBy(pageOrder(query))
      .limit(query.limit)
      .select();
  }

  async getSession(
    id: string,
    access?: SessionCriteria,
  ): Promise<Session | undefined> {
    const row = await this.db<SessionRow>(SESSIONS)
      .modify(builder => whereSelector(builder, { ids: [id], access }))
      .first();
    return row ? toSession(row) : undefined;
  }

  async getSessions(ids: string[]): Promise<Session[]> {
    const sessions: Session[] = [];
    for (const chunk of chunks(ids)) {
      const rows = await this.db<SessionRow>(SESSIONS).whereIn('id', chunk);
      sessions.push(...rows.map(toSession));
    }
    return sessions;
  }

  async countOpenSessions(
    selector: SessionSelector,
  ): Promise<OpenSessionCounts> {
    if (Object.values(selector).every(value => value === undefined)) {
      // Everyone's, unconditionally: the running totals, not a scan.
      const totals = await readTotals(this.db);
      const of = (status: string) => totals.get(status);
      return {
        active: of('active')?.count ?? 0,
        idle: of('idle')?.count ?? 0,
        terminating: of('terminating')?.count ?? 0,
        startedAtSum:
          (of('active')?.startedAtSum ?? 0) + (of('idle')?.startedAtSum ?? 0),
      };
    }
    const rows: Array<{ status: string; count: any; started: any }> =
      await this.db(SESSIONS)
        .modify(builder =>
          whereSelector(builder, {
            ...selector,
            statuses: [...LIVE_SESSION_STATUSES],
          }),
        )
        .groupBy('status')
        .select('status')
        .count({ count: '*' })
        .sum({ started: 'started_at' });
    const counts: OpenSessionCounts = {
      active: 0,
      idle: 0,
      terminating: 0,
      startedAtSum: 0,
    };
    for (const row of rows) {
      if (row.status === 'terminating') {
        counts.terminating = Number(row.count);
        continue;
      }
      if (row.status === 'active') counts.active = Number(row.count);
      if (row.status === 'idle') counts.idle = Number(row.count);
      counts.startedAtSum += Number(row.started ?? 0);
    }
    return counts;
  }

  async countOpenByUser(
    selector: SessionSelector,
    text: string | undefined,
    limit: number,
  ) {
    return countPerUser(
      this.db(SESSIONS),
      builder =>
        whereSelector(builder, {
          ...selector,
          statuses: [...OPEN_SESSION_STATUSES],
        }),
      text,
      limit,
    );
  }

  async countOpenByResource(selector: SessionSelector) {
    const rows: Array<{
      resource_name: string;
      resource_type: string;
      count: any;
    }> = await this.db(SESSIONS)
      .modify(builder =>
        whereSelector(builder, {
          ...selector,
          statuses: [...OPEN_SESSION_STATUSES],
        }),
      )
      .groupBy('resource_name', 'resource_type')
      .orderBy('resource_name')
      .select('resource_name', 'resource_type')
      .count({ count: '*' });
    return rows.map(row => ({
      resourceName: row.resource_name,
      resourceType: row.resource_type,
      count: Number(row.count),
    }));
  }

  async endSessions(
    selector: SessionSelector,
    ending: SessionEnding,
  ): Promise<Session[]> {
    return this.db.transaction(trx => this.endWithin(trx, selector, ending));
  }

  private async endWithin(
    trx: Knex.Transaction,
    selector: SessionSelector,
    ending: SessionEnding,
  ): Promise<Session[]> {
    // Ended here, a session waits for its connector to cut it; reported
    // ended by its connector, it is cut already.
    const to = ending.orderConnector ? 'terminating' : 'disconnected';
    const ended: SessionRow[] = [];
    for (const from of OPEN_SESSION_STATUSES) {
      const rows = await this.transition(
        trx,
        query => whereSelector(query, { ...selector, statuses: [from] }),
        this.ended(to, ending.reason, ending.endedBy, ending.at),
        { event_type: 'ended', from_status: from, to_status: to },
        {
          actor: ending.endedBy,
          reason: ending.reason,
          created_at: ending.at,
        },
      );
      ended.push(...rows);
    }
    if (ending.orderConnector) {
      await recordConnectorOrders(
        trx,
        ended,
        {
          action: 'end_session',
          reason: ending.reason,
          requestedBy: ending.endedBy,
          at: ending.at,
        },
        this.options.onOrdered,
      );
    } else {
      // The source reporting the end confirms a cut asked of it earlier.
      await confirmCuts(
        trx,
        SESSION_CUTS,
        query => whereSelector(query, selector),
        { at: ending.at, actor: ending.endedBy },
      );
    }
    return ended.map(toSession);
  }

  async reportSession(
    id: string,
    report: SessionReport,
    ending: SessionEnding & { access?: SessionCriteria },
  ): Promise<{ session: Session; reported: boolean } | undefined> {
    return this.db.transaction(async trx => {
      // Only the first report marks it: two at once cannot both.
      const marked = await trx(SESSIONS)
        .where('id', id)
        .whereNull('reported_at')
        .update({ reported_at: report.at, report_note: report.note });
      if (marked) {
        // An event, so open pages (security's too) learn of it.
        await trx(EVENTS).insert({
          session_id: id,
          event_type: 'reported',
          from_status: null,
          to_status: null,
          actor: report.by,
          reason: null,
          created_at: report.at,
        });
      }
      // Ends nothing when it is over already.
      await this.endWithin(trx, { ids: [id], access: ending.access }, ending);
      const row = await trx<SessionRow>(SESSIONS).where('id', id).first();
      return row
        ? { session: toSession(row), reported: marked > 0 }
        : undefined;
    });
  }

  async sweep(cutoffs: SweepCutoffs): Promise<SweepCounts> {
    const { at, actor } = cutoffs;
    const limits: QuietLimits = {
      idleAfterMs: at - cutoffs.idleBefore,
      warnAfterMs: at - cutoffs.warnBefore,
      disconnectAfterMs: at - cutoffs.disconnectBefore,
      personal: cutoffs.personal,
    };
    return this.db.transaction(async trx => {
      // What the sweep ends must also be cut where it runs: each ending is
      // one UPDATE, its history and its orders each one INSERT … SELECT,
      // and only the ids come back.
      const end = async (
        from: SessionStatus,
        due: (query: Knex.QueryBuilder) => void,
        reason: EndReason,
      ): Promise<string[]> => {
        const { marker, count } = await transitionMarked(trx, {
          table: SESSIONS,
          where: query => due(query.where('status', from)),
          patch: this.ended('terminating', reason, actor, at),
          afterChange: (trx2, changed) =>
            recordTotalsChange(trx2, changed, from, 'terminating'),
          history: {
            table: EVENTS,
            columns: {
              session_id: fromRow('id'),
              event_type: 'ended',
              from_status: from,
              to_status: 'terminating',
              actor,
              reason,
              created_at: at,
            },
          },
        });
        if (count === 0) return [];
        await recordConnectorOrdersForMarked(
          trx,
          SESSIONS,
          marker,
          {
            action: 'end_session',
            reason,
            requestedBy: actor,
            at,
          },
          this.options.onOrdered,
        );
        return trx(SESSIONS).where('transition_id', marker).pluck('id');
      };
      const expired: string[] = [];
      const timedOut: string[] = [];
      for (const from of OPEN_SESSION_STATUSES) {
        expired.push(
          ...(await end(
            from,
            query => query.where('started_at', '<', cutoffs.startedBefore),
            'max_lifetime',
          )),
        );
      }
      // Quiet past the disconnect cutoff ends at once, active or idle: no
      // detour through idle and warned for sessions already due.
      for (const from of OPEN_SESSION_STATUSES) {
        timedOut.push(
          ...(await end(
            from,
            query => quietPast(query, 'disconnect', at, limits),
            'idle_timeout',
          )),
        );
      }
      // Portal sign-ins whose code did not come in time.
      const noCode: string[] = [];
      for (const from of OPEN_SESSION_STATUSES) {
        noCode.push(
          ...(await end(
            from,
            query => query.where('code_due_at', '<', at),
            'second_factor',
          )),
        );
      }
      const idled = await this.transition(
        trx,
        query => quietPast(query.where('status', 'active'), 'idle', at, limits),
        { status: 'idle' },
        { event_type: 'idle', from_status: 'active', to_status: 'idle' },
        { actor, reason: null, created_at: at },
      );
      const warned = await this.warn(trx, at, actor, limits);
      return {
        idled: idled.length,
        warned,
        timedOut: timedOut.length,
        expired: expired.length,
        noCode: noCode.length,
        noCodeIds: noCode,
        endedIds: [...expired, ...timedOut, ...noCode],
      };
    });
  }

  /**
   * Marks idle sessions quiet past the warning time as warned, and owes
   * their owners a warning, sent after this transaction, one per person:
   * a backend that stops in between loses none. Owed first, marked after,
   * by this sweep's time: the mark then changes no indexed column, so
   * PostgreSQL updates the rows in place (HOT), several times faster than
   * a transition marker would.
   */
  private async warn(
    trx: Knex.Transaction,
    at: number,
    actor: string,
    limits: QuietLimits,
  ): Promise<number> {
    await insertPerRow(
      trx,
      SESSIONS,
      query =>
        quietPast(
          query.where('status', 'idle').whereNull('idle_warned_at'),
          'warn',
          at,
          limits,
        ),
      {
        table: IDLE_WARNINGS_DUE,
        columns: {
          session_id: fromRow('id'),
          user_ref: fromRow('user_ref'),
          warned_at: at,
        },
      },
    );
    const owed = () =>
      trx(IDLE_WARNINGS_DUE).where('warned_at', at).select('session_id');
    const warned = await trx(SESSIONS)
      .whereIn('id', owed())
      .where('status', 'idle')
      .whereNull('idle_warned_at')
      .update({ idle_warned_at: at });
    // A session another transaction moved on in between is not owed.
    await trx(IDLE_WARNINGS_DUE)
      .where('warned_at', at)
      .whereNotExists(
        trx(SESSIONS)
          .whereRaw('??.?? = ??.??', [
            SESSIONS,
            'id',
            IDLE_WARNINGS_DUE,
            'session_id',
          ])
          .where(`${SESSIONS}.idle_warned_at`, at)
          .select(trx.raw('1')),
      )
      .delete();
    if (warned > 0) {
      await insertPerRow(
        trx,
        IDLE_WARNINGS_DUE,
        query => query.where('warned_at', at),
        {
          table: EVENTS,
          columns: {
            session_id: fromRow('session_id'),
            event_type: 'idle_warning',
            from_status: 'idle',
            to_status: 'idle',
            actor,
            reason: null,
            created_at: at,
          },
        },
      );
    }
    return warned;
  }

  /** The columns of a session ended now, and by when its cut is due. */
  async foldTotals(): Promise<number> {
    return foldTotals(this.db);
  }

  async attachRecordings(
    source: string,
    recordings: RecordingAttachment[],
    actor: string,
    at: number,
  ): Promise<number> {
    return this.db.transaction(async trx => {
      let attached = 0;
      for (const { externalId, url, kind } of recordings) {
        const row = await trx(SESSIONS)
          .where({ source, external_id: externalId })
          .first('id', 'recording_url', 'recording_kind');
        // Sending the same reference again changes nothing. Compared here,
        // not in SQL: MySQL's collation would call "A1.mp4" and "a1.mp4"
        // equal, and object keys are case-sensitive.
        if (
          !row ||
          (row.recording_url === url && row.recording_kind === kind)
        ) {
          continue;
        }
        await trx(SESSIONS)
          .where('id', row.id)
          .update({ recording_url: url, recording_kind: kind });
        attached += 1;
        // An event, so open pages learn of it like any other change.
        await trx(EVENTS).insert({
          session_id: row.id,
          event_type: 'recorded',
          from_status: null,
          to_status: null,
          actor,
          reason: null,
          created_at: at,
        });
      }
      return attached;
    });
  }

  async listRecordings(
    ids: string[],
    access?: SessionCriteria,
  ): Promise<Map<string, SessionRecording>> {
    const found = new Map<string, SessionRecording>();
    for (const chunk of chunks(ids)) {
      const rows = await this.db(SESSIONS)
        .modify(builder => whereSelector(builder, { ids: chunk, access }))
        .whereNotNull('recording_url')
        .select('id', 'recording_url', 'recording_kind');
      for (const row of rows) {
        found.set(row.id, { url: row.recording_url, kind: row.recording_kind });
      }
    }
    return found;
  }

  async listEvents(sessionId: string): Promise<SessionEvent[]> {
    const rows = await this.db(EVENTS)
      .where('session_id', sessionId)
      .orderBy('id', 'asc')
      .select();
    return rows.map(row => ({
      id: Number(row.id),
      sessionId: row.session_id,
      type: row.event_type,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      actor: row.actor,
      reason: row.reason,
      createdAt: toIso(row.created_at),
    }));
  }

  private ended(
    status: 'terminating' | 'disconnected',
    reason: EndReason,
    endedBy: string,
    at: number,
  ) {
    return {
      status,
      ended_at: at,
      end_reason: reason,
      ended_by: endedBy,
      ...(status === 'terminating'
        ? { cut_deadline_at: at + this.options.confirmWithinMs }
        : { cut_confirmed_at: at }),
    };
  }

  private transition(
    trx: Knex.Transaction,
    where: (query: Knex.QueryBuilder) => void,
    patch: Record<string, unknown>,
    change: Pick<EventRow, 'event_type' | 'from_status' | 'to_status'>,
    event: Pick<EventRow, 'actor' | 'reason' | 'created_at'>,
  ): Promise<SessionRow[]> {
    return transitionRows<SessionRow>(trx, {
      table: SESSIONS,
      where,
      patch,
      afterChange: (trx2, marker) =>
        recordTotalsChange(trx2, marker, change.from_status, change.to_status),
      history: {
        table: EVENTS,
        columns: { session_id: fromRow('id'), ...change, ...event },
      },
    });
  }
}
