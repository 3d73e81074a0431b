import { ResponseError } from '@backstage/errors';
import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import {
  DISCOVERY_BASE_URL,
  backstageError,
} from '../__testUtils__/fakeSessionsBackend';
import { SessionsClient } from './SessionsClient';

const server = setupServer();
registerMswTestHooks(server);

const API = `${DISCOVERY_BASE_URL}/api/sessions`;

function createClient() {
  return new SessionsClient({
    discoveryApi: mockApis.discovery({ baseUrl: DISCOVERY_BASE_URL }),
    fetchApi: new MockFetchApi(),
  });
}

/** Answers every GET with `body` and records the URLs asked for. */
function recordGets(path: string, body: object) {
  const urls: URL[] = [];
  server.use(
    http.get(`${API}${path}`, ({ request }) => {
      urls.push(new URL(request.url));
      return HttpResponse.json(body);
    }),
  );
  return urls;
}

describe('SessionsClient', () => {
  it('sends list filters as the query string the backend parses', async () => {
    const urls = recordGets('/sessions', { items: [], nextCursor: 'abc' });

    const page = await createClient().listSessions({
      status: ['active', 'idle'],
      type: ['ssh', 'rdp'],
      q: '  bastion ',
      sort: 'lastActivityAt',
      order: 'asc',
      limit: 25,
      cursor: 'opaque/cursor+1',
    });

    expect(page).toEqual({ items: [], nextCursor: 'abc' });
    expect(urls).toHaveLength(1);
    expect(Object.fromEntries(urls[0].searchParams)).toEqual({
      status: 'active,idle',
      type: 'ssh,rdp',
      q: 'bastion',
      sort: 'lastActivityAt',
      order: 'asc',
      limit: '25',
      cursor: 'opaque/cursor+1',
    });
  });

  it('leaves out filters that are not set, so backend defaults apply', async () => {
    const urls = recordGets('/sessions', { items: [] });

    await createClient().listSessions({ status: [], q: '   ' });
    await createClient().listSessions();

    expect(urls.map(url => url.search)).toEqual(['', '']);
  });

  it('asks for stats at /sessions/stats', async () => {
    const stats = { active: 2, idle: 1, totalOpenDurationMs: 90_000 };
    const urls = recordGets('/sessions/stats', stats);

    await expect(createClient().getStats()).resolves.toEqual(stats);
    expect(urls[0].pathname).toBe('/api/sessions/sessions/stats');
  });

  it('asks what the policy lets the caller read of others at /capabilities, with no query', async () => {
    const capabilities = {
      readsOthersSessions: true,
      readsOthersGrants: false,
    };
    const urls = recordGets('/capabilities', capabilities);

    await expect(createClient().getCapabilities()).resolves.toEqual(
      capabilities,
    );
    expect(urls.map(url => `${url.pathname}${url.search}`)).toEqual([
      '/api/sessions/capabilities',
    ]);
  });

  it('ends one session with a JSON POST', async () => {
    const requests: Array<{
      id: unknown;
      contentType: string | null;
      body: unknown;
    }> = [];
    server.use(
      http.post(`${API}/sessions/:id/end`, async ({ params, request }) => {
        requests.push({
          id: params.id,
          contentType: request.headers.get('content-type'),
          body: await request.json(),
        });
        return HttpResponse.json({ id: params.id, status: 'disconnected' });
      }),
    );

    const ended = await createClient().endSession('s-1');

    expect(ended).toMatchObject({ id: 's-1', status: 'disconnected' });
    expect(requests).toEqual([
      { id: 's-1', contentType: 'application/json', body: {} },
    ]);
  });

  it('sends a DELETE with no body and no content type (the spec takes none)', async () => {
    const requests: Array<{ contentType: string | null; body: string }> = [];
    server.use(
      http.delete(`${API}/settings/timeouts`, async ({ request }) => {
        requests.push({
          contentType: request.headers.get('content-type'),
          body: await request.text(),
        });
        return HttpResponse.json({ idleAfterMs: 1 });
      }),
    );

    await createClient().resetPersonalTimeouts();

    expect(requests).toEqual([{ contentType: null, body: '' }]);
  });

  it('passes exceptId to end-all only when given', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${API}/sessions/end-all`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ ended: ['a'] });
      }),
    );

    await createClient().endAllSessions();
    await createClient().endAllSessions({ exceptId: 'keep-me' });

    expect(bodies).toEqual([{}, { exceptId: 'keep-me' }]);
  });

  describe('grants', () => {
    /** Answers every POST under `path` and records what was sent. */
    function recordPosts(path: string, answer: (id: unknown) => object) {
      const requests: Array<{
        url: string;
        contentType: string | null;
        body: unknown;
      }> = [];
      server.use(
        http.post(`${API}${path}`, async ({ params, request }) => {
          requests.push({
            url: new URL(request.url).pathname,
            contentType: request.headers.get('content-type'),
            body: await request.json(),
          });
          return HttpResponse.json(answer(params.id));
        }),
      );
      return requests;
    }

    it('sends grant list filters as the query string the backend parses', async () => {
      const urls = recordGets('/grants', { items: [], nextCursor: 'next' });

      const page = await createClient().listGrants({
        kind: ['device_admin'],
        status: ['active', 'expired'],
        q: ' laptop ',
        sort: 'target',
        order: 'desc',
        limit: 200,
        cursor: 'opaque/cursor+2',
        all: true,
      });

      expect(page).toEqual({ items: [], nextCursor: 'next' });
      expect(urls[0].pathname).toBe('/api/sessions/grants');
      expect(Object.fromEntries(urls[0].searchParams)).toEqual({
        kind: 'device_admin',
        status: 'active,expired',
        q: 'laptop',
        sort: 'target',
        order: 'desc',
        limit: '200',
        cursor: 'opaque/cursor+2',
        all: 'true',
      });
    });

    it('asks for another user by entity ref, and leaves out all=false', async () => {
      const urls = recordGets('/grants', { items: [] });

      await createClient().listGrants({
        user: 'user:default/jane.doe',
        all: false,
      });
      await createClient().listGrants();

      expect(Object.fromEntries(urls[0].searchParams)).toEqual({
        user: 'user:default/jane.doe',
      });
      expect(urls[1].search).toBe('');
    });

    it('reads one grant by its id', async () => {
      const urls = recordGets('/grants/:id', { id: 'g/1', status: 'active' });

      await expect(createClient().getGrant('g/1')).resolves.toMatchObject({
        status: 'active',
      });
      expect(urls[0].pathname).toBe('/api/sessions/grants/g%2F1');
    });

    it('revokes one grant with an empty JSON body', async () => {
      const requests = recordPosts('/grants/:id/revoke', id => ({
        id,
        status: 'revoked',
      }));

      const revoked = await createClient().revokeGrant('g-1');

      expect(revoked).toMatchObject({ id: 'g-1', status: 'revoked' });
      expect(requests).toEqual([
        {
          url: '/api/sessions/grants/g-1/revoke',
          contentType: 'application/json',
          body: {},
        },
      ]);
    });

    it('revokes many grants in one call, naming every id', async () => {
      const result = {
        results: [
          { id: 'g-1', outcome: 'revoked' },
          { id: 'g-2', outcome: 'denied' },
        ],
      };
      const requests = recordPosts('/grants/revoke', () => result);

      await expect(
        createClient().revokeGrants(['g-1', 'g-2']),
      ).resolves.toEqual(result);
      expect(requests).toEqual([
        {
          url: '/api/sessions/grants/revoke',
          contentType: 'application/json',
          body: { ids: ['g-1', 'g-2'] },
        },
      ]);
    });

    it('gives back a grant with an empty JSON body', async () => {
      const requests = recordPosts('/grants/:id/give-back', id => ({
        id,
        status: 'revoked',
        revokeReason: 'given_back',
      }));

      const given = await createClient().giveBackGrant('g-3');

      expect(given).toMatchObject({ revokeReason: 'given_back' });
      expect(requests).toEqual([
        {
          url: '/api/sessions/grants/g-3/give-back',
          contentType: 'application/json',
          body: {},
        },
      ]);
    });

    it('turns a denied revoke into a ResponseError with the reason', async () => {
      server.use(
        http.post(`${API}/grants/:id/revoke`, () =>
          backstageError(403, 'NotAllowedError', 'You may not revoke this'),
        ),
      );

      const failure = await createClient()
        .revokeGrant('g-1')
        .catch(error => error);

      expect(ResponseError.is(failure)).toBe(true);
      expect(failure.statusCode).toBe(403);
      expect(failure.cause.message).toBe('You may not revoke this');
    });
  });

  it('turns a Backstage error body into a ResponseError with its message', async () => {
    server.use(
      http.get(`${API}/sessions/:id`, () =>
        backstageError(404, 'NotFoundError', 'No session with id nope'),
      ),
    );

    const failure = await createClient()
      .getSession('nope')
      .catch(error => error);

    expect(ResponseError.is(failure)).toBe(true);
    expect(failure.statusCode).toBe(404);
    expect(failure.cause.message).toBe('No session with id nope');
  });
});
