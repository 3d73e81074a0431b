import {
  AccessGrant,
  GrantRevokeOutcome,
} from '@active-sessions/plugin-sessions-common';
import { HttpResponse, http } from 'msw';
import { DISCOVERY_BASE_URL, backstageError } from './fakeSessionsBackend';

const API = `${DISCOVERY_BASE_URL}/api/sessions`;

/** Who the fake backend thinks is calling, unless a test says otherwise. */
export const CALLER_REF = 'user:default/jane.doe';

let nextId = 1;

/** A grant as the backend would send it; override what the test is about. */
export function makeGrant(overrides: Partial<AccessGrant> = {}): AccessGrant {
  const id = `10000000-0000-4000-8000-${String(nextId++).padStart(12, '0')}`;
  return {
    id,
    kind: 'device_admin',
    userRef: CALLER_REF,
    target: `laptop-${id.slice(-4)}`,
    targetType: 'device',
    grantedBy: 'user:default/it.admin',
    reason: null,
    source: 'mdm',
    externalId: `ext-${id}`,
    status: 'active',
    startsAt: '2026-11-23T08:00:00.000Z',
    expiresAt: '2026-11-23T12:00:00.000Z',
    revokedAt: null,
    revokedBy: null,
    revokeReason: null,
    cutDeadlineAt: null,
    cutConfirmedAt: null,
    cutFailure: null,
    ...overrides,
  };
}

/**
 * An in-memory grants backend behind msw: it lists, revokes and gives back
 * grants the way the real one does, and records what it was asked. Grants
 * in `deny` may be seen but not revoked, as a policy would have it.
 */
export function fakeGrantsBackend(
  initial: AccessGrant[],
  options: {
    callerRef?: string;
    deny?: string[];
    fastConnector?: boolean;
  } = {},
) {
  const callerRef = options.callerRef ?? CALLER_REF;
  const denied = new Set(options.deny ?? []);
  let grants = initial.map(grant => ({ ...grant }));
  const received = {
    listQueries: [] as URLSearchParams[],
    revokedIds: [] as string[],
    revokeBodies: [] as unknown[],
    bulkRevokeBodies: [] as unknown[],
    givenBackIds: [] as string[],
    giveBackBodies: [] as unknown[],
  };

  const find = (id: unknown) => grants.find(grant => grant.id === id);
  const end = (found: AccessGrant, reason: AccessGrant['revokeReason']) => {
    // Like the real one: revoked here, a grant waits for its connector.
    const ended: AccessGrant = {
      ...found,
      status: 'revoking',
      cutDeadlineAt: new Date(Date.now() + 30_000).toISOString(),
      revokedAt: new Date().toISOString(),
      revokedBy: callerRef,
      revokeReason: reason,
    };
    grants = grants.map(grant => (grant.id === found.id ? ended : grant));
    return ended;
  };

  /** What a connector's acknowledgement does: the removal is confirmed. */
  const confirmCut = (id: string) => {
    grants = grants.map(grant =>
      grant.id === id && grant.status === 'revoking'
        ? {
            ...grant,
            status: 'revoked',
            cutConfirmedAt: new Date().toISOString(),
          }
        : grant,
    );
  };

  const handlers = [
    http.get(`${API}/grants`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      received.listQueries.push(query);
      const kinds = query.get('kind')?.split(',');
      const statuses = query.get('status')?.split(',');
      const text = query.get('q')?.toLocaleLowerCase();
      const ids = query.get('id')?.split(',');
      const owner =
        query.get('all') === 'true'
          ? undefined
          : (query.get('user') ?? callerRef);
      const matching = grants
        .filter(
          grant =>
            (!kinds || kinds.includes(grant.kind)) &&
            (!statuses || statuses.includes(grant.status)) &&
            (!owner || grant.userRef === owner) &&
            (!ids || ids.includes(grant.id)) &&
            (!text ||
              `${grant.target} ${grant.userRef}`
                .toLocaleLowerCase()
                .includes(text)),
        )
        .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
      return HttpResponse.json({ items: matching });
    }),
    http.get(`${API}/grants/stats`, () => {
      const mine = grants.filter(grant => grant.userRef === callerRef);
      const count = (match: (grant: AccessGrant) => boolean) =>
        mine.filter(match).length;
      return HttpResponse.json({
        deviceAdmin: count(
          g => g.status === 'active' && g.kind === 'device_admin',
        ),
        timedAccess: count(
          g => g.status === 'active' && g.kind === 'timed_access',
        ),
        revoking: count(g => g.status === 'revoking'),
      });
    }),
    http.get(`${API}/grants/:id`, ({ params }) => {
      const found = find(params.id);
      return found
        ? HttpResponse.json(found)
        : backstageError(404, 'NotFoundError', 'No such grant');
    }),
    http.post(`${API}/grants/revoke`, async ({ request }) => {
      const body = (await request.json()) as { ids: string[] };
      received.bulkRevokeBodies.push(body);
      const results = body.ids.map(id => {
        const found = find(id);
        let outcome: GrantRevokeOutcome;
        if (!found) {
          outcome = 'not_found';
        } else if (denied.has(id)) {
          outcome = 'denied';
        } else if (found.status !== 'active') {
          outcome = 'already_ended';
        } else {
          end(found, 'revoked');
          outcome = 'revoked';
        }
        return { id, outcome };
      });
      return HttpResponse.json({ results });
    }),
    http.post(`${API}/grants/:id/revoke`, async ({ params, request }) => {
      received.revokeBodies.push(await request.json());
      const found = find(params.id);
      if (!found) {
        return backstageError(404, 'NotFoundError', 'No such grant');
      }
      if (denied.has(found.id)) {
        return backstageError(
          403,
          'NotAllowedError',
          'You may not revoke this grant',
        );
      }
      received.revokedIds.push(found.id);
      const revoked = end(found, 'revoked');
      // A connector quicker than the page: confirmed before it asks again.
      if (options.fastConnector) confirmCut(found.id);
      return HttpResponse.json(revoked);
    }),
    http.post(`${API}/grants/:id/give-back`, async ({ params, request }) => {
      received.giveBackBodies.push(await request.json());
      const found = find(params.id);
      if (!found || found.userRef !== callerRef || found.status !== 'active') {
        return backstageError(
          403,
          'NotAllowedError',
          'Only your own active grants can be given back',
        );
      }
      received.givenBackIds.push(found.id);
      return HttpResponse.json(end(found, 'given_back'));
    }),
  ];

  return { handlers, received, confirmCut };
}
