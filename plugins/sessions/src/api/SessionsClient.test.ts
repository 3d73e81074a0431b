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
