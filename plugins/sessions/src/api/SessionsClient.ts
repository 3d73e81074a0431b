import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessGrant,
  ConnectorStatus,
  EndSessionsResult,
  GrantPage,
  GrantRevokeResult,
  ListGrantsRequest,
  ListSessionsRequest,
  Session,
  SessionPage,
  SessionStats,
} from '@internal/plugin-sessions-common';
import { SessionsApi } from './SessionsApi';

/**
 * Talks to the sessions backend plugin over HTTP.
 *
 * @public
 */
export class SessionsClient implements SessionsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listSessions(request: ListSessionsRequest = {}): Promise<SessionPage> {
    return this.request<SessionPage>(
      `/sessions${toQueryString(listQuery(request))}`,
    );
  }

  async getStats(options: { user?: string } = {}): Promise<SessionStats> {
    return this.request<SessionStats>(
      `/sessions/stats${toQueryString({ user: options.user })}`,
    );
  }

  async getSession(id: string): Promise<Session> {
    return this.request<Session>(`/sessions/${encodeURIComponent(id)}`);
  }

  async endSession(id: string): Promise<Session> {
    return this.request<Session>(`/sessions/${encodeURIComponent(id)}/end`, {
      method: 'POST',
      body: {},
    });
  }

  async endAllSessions(
    options: { exceptId?: string } = {},
  ): Promise<EndSessionsResult> {
    const body = options.exceptId ? { exceptId: options.exceptId } : {};
    return this.request<EndSessionsResult>('/sessions/end-all', {
      method: 'POST',
      body,
    });
  }

  async listGrants(request: ListGrantsRequest = {}): Promise<GrantPage> {
    return this.request<GrantPage>(
      `/grants${toQueryString(grantListQuery(request))}`,
    );
  }

  async getGrant(id: string): Promise<AccessGrant> {
    return this.request<AccessGrant>(`/grants/${encodeURIComponent(id)}`);
  }

  async revokeGrant(id: string): Promise<AccessGrant> {
    return this.request<AccessGrant>(
      `/grants/${encodeURIComponent(id)}/revoke`,
      { method: 'POST', body: {} },
    );
  }

  async listConnectors(): Promise<ConnectorStatus[]> {
    const { items } = await this.request<{ items: ConnectorStatus[] }>(
      '/connectors',
    );
    return items;
  }

  async revokeGrants(ids: string[]): Promise<GrantRevokeResult> {
    return this.request<GrantRevokeResult>('/grants/revoke', {
      method: 'POST',
      body: { ids },
    });
  }

  async giveBackGrant(id: string): Promise<AccessGrant> {
    return this.request<AccessGrant>(
      `/grants/${encodeURIComponent(id)}/give-back`,
      { method: 'POST', body: {} },
    );
  }

  private async request<T>(
    path: string,
    init: { method?: 'GET' | 'POST'; body?: object } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('sessions');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      ...(init.body && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(init.body),
      }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/** The list request as query parameters: arrays travel comma-joined. */
function listQuery(request: ListSessionsRequest): Record<string, unknown> {
  return {
    status: request.status?.join(','),
    type: request.type?.join(','),
    q: request.q?.trim(),
    sort: request.sort,
    order: request.order,
    limit: request.limit,
    cursor: request.cursor,
    user: request.user,
  };
}

/**
 * The grant list request as query parameters. `all` is only sent when true:
 * the backend refuses `all` together with `user`, and false is its default.
 */
function grantListQuery(request: ListGrantsRequest): Record<string, unknown> {
  return {
    kind: request.kind?.join(','),
    status: request.status?.join(','),
    q: request.q?.trim(),
    sort: request.sort,
    order: request.order,
    limit: request.limit,
    cursor: request.cursor,
    user: request.user,
    all: request.all ? 'true' : undefined,
  };
}

/** `?a=1&b=2`, leaving out empty values so the backend applies its defaults. */
function toQueryString(params: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      query.set(name, String(value));
    }
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
