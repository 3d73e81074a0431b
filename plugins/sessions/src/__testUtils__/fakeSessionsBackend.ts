import {
  DEFAULT_IDLE_WARNING,
  Session,
  SessionsCapabilities,
  SessionsSettingsInfo,
  SessionStats,
  durationBetween,
} from '@active-sessions/plugin-sessions-common';
import { HttpResponse, http } from 'msw';

/** Where the tests' discovery API says the sessions backend lives. */
export const DISCOVERY_BASE_URL = 'http://localhost';
const API = `${DISCOVERY_BASE_URL}/api/sessions`;

let nextId = 1;

/** A session as the backend would send it; override what the test is about. */
export function makeSession(overrides: Partial<Session> = {}): Session {
  const id = `00000000-0000-4000-8000-${String(nextId++).padStart(12, '0')}`;
  return {
    id,
    userRef: 'user:default/jane.doe',
    resourceName: `host-${id.slice(-4)}`,
    resourceType: 'ssh',
    source: 'bastion',
    externalId: `ext-${id}`,
    device: 'MacBook Pro',
    userAgent: null,
    ipAddress: '10.0.0.1',
    location: 'Berlin, DE',
    status: 'active',
    startedAt: '2026-11-23T08:00:00.000Z',
    lastActivityAt: '2026-11-23T09:00:00.000Z',
    idleWarnedAt: null,
    endedAt: null,
    endReason: null,
    endedBy: null,
    cutDeadlineAt: null,
    cutConfirmedAt: null,
    cutFailure: null,
    flags: [],
    flagDetail: null,
    recorded: false,
    codeDueAt: null,
    reportedAt: null,
    reportNote: null,
    ...overrides,
  };
}

/** The defaults of the real backend, without limits. */
export const FAKE_SETTINGS: SessionsSettingsInfo = {
  limits: { maxPerUser: null, perType: {}, onExceed: 'deny' },
  timeouts: {
    idleAfterMs: 300_000,
    warnAfterMs: 600_000,
    disconnectAfterMs: 1_800_000,
    maxLifetimeMs: 43_200_000,
    personal: null,
  },
  idleWarning: { message: DEFAULT_IDLE_WARNING },
};

/** The error body the Backstage backend sends, with its status code. */
export function backstageError(
  statusCode: number,
  name: string,
  message: string,
) {
  return HttpResponse.json(
    { error: { name, message }, response: { statusCode } },
    { status: statusCode },
  );
}

/**
 * An in-memory sessions backend behind msw: it filters, pages and ends
 * sessions the way the real one does, and records what it was asked.
 * With `me`, lists are the caller's own unless asked for `all` or a `user`;
 * with `fastConnector`, a session ended here is confirmed cut right after
 * the answer, before the page can ask again. `capabilities` is what the
 * policy lets the caller read of others' (by default, nothing).
 */
export function fakeSessionsBackend(
  initial: Session[],
  options: {
    me?: string;
    fastConnector?: boolean;
    capabilities?: Partial<SessionsCapabilities>;
  } = {},
) {
  let sessions = initial.map(session => ({ ...session }));
  const received = {
    listQueries: [] as URLSearchParams[],
    endedIds: [] as string[],
    endBodies: [] as unknown[],
    endAllBodies: [] as unknown[],
    reportBodies: [] as unknown[],
  };

  const isOpen = (session: Session) =>
    session.status === 'active' || session.status === 'idle';
  // Like the real one: ended here, a session waits for its connector.
  const endOne = (session: Session): Session => ({
    ...session,
    status: 'terminating',
    endedAt: new Date().toISOString(),
    endReason: 'user',
    endedBy: session.userRef,
    cutDeadlineAt: new Date(Date.now() + 30_000).toISOString(),
  });
  /** What a connector's acknowledgement does: the cut is confirmed. */
  const confirmCut = (id: string) => {
    sessions = sessions.map(session =>
      session.id === id && session.status === 'terminating'
        ? {
            ...session,
            status: 'disconnected',
            cutConfirmedAt: new Date().toISOString(),
          }
        : session,
    );
  };

  const stats = (): SessionStats => {
    const open = sessions.filter(isOpen);
    return {
      active: open.filter(session => session.status === 'active').length,
      idle: open.filter(session => session.status === 'idle').length,
      terminating: sessions.filter(session => session.status === 'terminating')
        .length,
      totalOpenDurationMs: open.reduce(
        (sum, session) => sum + durationBetween(session.startedAt),
        0,
      ),
    };
  };

  const handlers = [
    http.get(`${API}/settings`, () => HttpResponse.json(FAKE_SETTINGS)),
    http.get(`${API}/capabilities`, () =>
      HttpResponse.json({
        readsOthersSessions: false,
        readsOthersGrants: false,
        ...options.capabilities,
      }),
    ),
    // Before `/sessions/:id`, which would otherwise match "stats".
    http.get(`${API}/sessions/stats`, () => HttpResponse.json(stats())),
    http.get(`${API}/sessions`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      received.listQueries.push(query);
      const statuses = query.get('status')?.split(',');
      const types = query.get('type')?.split(',');
      const text = query.get('q')?.toLocaleLowerCase();
      const flagged = query.get('flagged') === 'true';
      const reported = query.get('reported') === 'true';
      const endedFrom = query.get('endedFrom');
      const endedBefore = query.get('endedBefore');
      const ids = query.get('id')?.split(',');
      const endedIn = (session: Session) =>
        (!endedFrom ||
          (session.endedAt !== null &&
            Date.parse(session.endedAt) >= Date.parse(endedFrom))) &&
        (!endedBefore ||
          (session.endedAt !== null &&
            Date.parse(session.endedAt) < Date.parse(endedBefore)));
      const owner =
        query.get('all') === 'true'
          ? undefined
          : (query.get('user') ?? options.me);
      const matching = sessions.filter(
        session =>
          (!owner || session.userRef === owner) &&
          (!ids || ids.includes(session.id)) &&
          (!statuses || statuses.includes(session.status)) &&
          (!types || types.includes(session.resourceType)) &&
          (!flagged || session.flags.length > 0) &&
          (!reported || session.reportedAt !== null) &&
          endedIn(session) &&
          (!text ||
            [session.resourceName, session.device, session.ipAddress]
              .join(' ')
              .toLocaleLowerCase()
              .includes(text)),
      );
      // The cursor is an offset here; the real one is opaque keyset state.
      const offset = Number(query.get('cursor') ?? 0);
      const limit = Number(query.get('limit') ?? 50);
      const end = offset + limit;
      return HttpResponse.json({
        items: matching.slice(offset, end),
        nextCursor: end < matching.length ? String(end) : undefined,
      });
    }),
    http.get(`${API}/sessions/:id`, ({ params }) => {
      const found = sessions.find(session => session.id === params.id);
      return found
        ? HttpResponse.json(found)
        : backstageError(404, 'NotFoundError', 'No such session');
    }),
    http.post(`${API}/sessions/end-all`, async ({ request }) => {
      const body = (await request.json()) as {
        exceptId?: string;
        source?: string;
      };
      received.endAllBodies.push(body);
      const ends = (session: Session) =>
        isOpen(session) &&
        session.id !== body.exceptId &&
        (!body.source || session.source === body.source);
      const ended = sessions.filter(ends).map(session => session.id);
      sessions = sessions.map(session =>
        ends(session) ? endOne(session) : session,
      );
      return HttpResponse.json({ ended });
    }),
    // Like the real one: the first report stands; an open session ends
    // (reason `reported`), and with endOthers the person's others too.
    http.post(`${API}/sessions/:id/report`, async ({ params, request }) => {
      const body = (await request.json()) as {
        note?: string;
        endOthers?: boolean;
      };
      received.reportBodies.push(body);
      const found = sessions.find(session => session.id === params.id);
      if (!found || (options.me && found.userRef !== options.me)) {
        return backstageError(404, 'NotFoundError', 'No such session');
      }
      const note = body.note?.trim() ?? '';
      if (!note) {
        return backstageError(
          400,
          'InputError',
          'Invalid request, body.note: Too small: expected string to have >=1 characters',
        );
      }
      const marked: Session = {
        ...(isOpen(found)
          ? { ...endOne(found), endReason: 'reported' as const }
          : found),
        reportedAt: found.reportedAt ?? new Date().toISOString(),
        reportNote: found.reportNote ?? note,
      };
      sessions = sessions.map(session => {
        if (session.id === found.id) return marked;
        return body.endOthers &&
          session.userRef === found.userRef &&
          isOpen(session)
          ? endOne(session)
          : session;
      });
      return HttpResponse.json(marked);
    }),
    http.post(`${API}/sessions/:id/end`, async ({ params, request }) => {
      received.endBodies.push(await request.json());
      const found = sessions.find(session => session.id === params.id);
      if (!found) {
        return backstageError(404, 'NotFoundError', 'No such session');
      }
      received.endedIds.push(found.id);
      const ended = endOne(found);
      sessions = sessions.map(session =>
        session.id === found.id ? ended : session,
      );
      if (options.fastConnector) confirmCut(found.id);
      return HttpResponse.json(ended);
    }),
  ];

  return { handlers, received, apiUrl: API, confirmCut };
}
