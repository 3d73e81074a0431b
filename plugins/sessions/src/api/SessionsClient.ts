import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessGrant,
  ConnectorStatus,
  EndSessionsResult,
  GrantPage,
  GrantStats,
  GrantRevokeResult,
  ListGrantsRequest,
  ListSessionsRequest,
  Session,
  SessionPage,
  SessionStats,
  MfaEnrolment,
  MfaStatus,
  OffboardPreview,
  OffboardResult,
  PersonSummary,
  UserLock,
  STEP_UP_HEADER,
  STEP_UP_REQUIRED,
  PersonalTimeoutsBody,
  SecondFactorBody,
  StepUpProof,
  PortalHeartbeat,
  PortalStatus,
  SessionsCapabilities,
  SessionsSettingsInfo,
} from '@active-sessions/plugin-sessions-common';
import { SessionsApi } from './SessionsApi';
import { StepUpBroker } from './StepUpBroker';

/**
 * Talks to the sessions backend plugin over HTTP.
 *
 * @public
 */
export class SessionsClient implements SessionsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly stepUp?: StepUpBroker;

  /**
   * With `stepUp`, an action the backend refuses for want of a fresh
   * second-factor check waits for the person to confirm, then is retried.
   */
  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    stepUp?: StepUpBroker;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.stepUp = options.stepUp;
  }

  async listSessions(request: ListSessionsRequest = {}): Promise<SessionPage> {
    return this.request<SessionPage>(
      `/sessions${toQueryString(listQuery(request))}`,
    );
  }

  async getStats(
    options: { user?: string; all?: boolean } = {},
  ): Promise<SessionStats> {
    return this.request<SessionStats>(
      `/sessions/stats${toQueryString({
        user: options.user,
        all: options.all ? 'true' : undefined,
      })}`,
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

  async reportSession(
    id: string,
    report: { note: string; endOthers?: boolean; exceptId?: string },
  ): Promise<Session> {
    return this.request<Session>(`/sessions/${encodeURIComponent(id)}/report`, {
      method: 'POST',
      body: {
        note: report.note,
        endOthers: Boolean(report.endOthers),
        ...(report.endOthers &&
          report.exceptId && { exceptId: report.exceptId }),
      },
    });
  }

  async endAllSessions(
    options: { exceptId?: string; source?: string } = {},
  ): Promise<EndSessionsResult> {
    return this.request<EndSessionsResult>('/sessions/end-all', {
      method: 'POST',
      body: {
        ...(options.exceptId && { exceptId: options.exceptId }),
        ...(options.source && { source: options.source }),
      },
    });
  }

  async getSettings(): Promise<SessionsSettingsInfo> {
    return this.request<SessionsSettingsInfo>('/settings');
  }

  async choosePersonalTimeouts(
    chosen: PersonalTimeoutsBody,
  ): Promise<SessionsSettingsInfo['timeouts']> {
    return this.request<SessionsSettingsInfo['timeouts']>(
      '/settings/timeouts',
      { method: 'PUT', body: chosen },
    );
  }

  async resetPersonalTimeouts(): Promise<SessionsSettingsInfo['timeouts']> {
    return this.request<SessionsSettingsInfo['timeouts']>(
      '/settings/timeouts',
      { method: 'DELETE' },
    );
  }

  async getCapabilities(): Promise<SessionsCapabilities> {
    return this.request<SessionsCapabilities>('/capabilities');
  }

  async getPortalStatus(): Promise<PortalStatus> {
    return this.request<PortalStatus>('/portal/status');
  }

  async portalHeartbeat(
    sid: string,
    active: boolean,
  ): Promise<PortalHeartbeat> {
    return this.request<PortalHeartbeat>('/portal/heartbeat', {
      method: 'POST',
      body: { sid, active },
    });
  }

  async listGrants(request: ListGrantsRequest = {}): Promise<GrantPage> {
    return this.request<GrantPage>(
      `/grants${toQueryString(grantListQuery(request))}`,
    );
  }

  async getGrantStats(): Promise<GrantStats> {
    return this.request<GrantStats>('/grants/stats');
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

  async getMfaStatus(): Promise<MfaStatus> {
    return this.request<MfaStatus>('/mfa');
  }

  async startMfaEnrolment(): Promise<MfaEnrolment> {
    return this.request<MfaEnrolment>('/mfa/enrol', {
      method: 'POST',
      body: {},
    });
  }

  async activateMfa(code: string): Promise<{ recoveryCodes: string[] }> {
    return this.request('/mfa/activate', { method: 'POST', body: { code } });
  }

  async verifyStepUp(factor: SecondFactorBody): Promise<StepUpProof> {
    return this.request<StepUpProof>('/mfa/verify', {
      method: 'POST',
      body: factor,
    });
  }

  async submitSignInCode(sid: string, factor: SecondFactorBody): Promise<void> {
    await this.request<void>('/portal/second-factor', {
      method: 'POST',
      body: { sid, ...factor },
    });
  }

  async disableMfa(factor: SecondFactorBody): Promise<void> {
    await this.request<void>('/mfa/disable', { method: 'POST', body: factor });
    this.stepUp?.forget();
  }

  async listPeople(q?: string): Promise<PersonSummary[]> {
    const query = q?.trim() ? `?q=${encodeURIComponent(q.trim())}` : '';
    const { items } = await this.request<{ items: PersonSummary[] }>(
      `/people${query}`,
    );
    return items;
  }

  async previewOffboarding(userRefs: string[]): Promise<OffboardPreview[]> {
    const { items } = await this.request<{ items: OffboardPreview[] }>(
      '/offboard/preview',
      { method: 'POST', body: { users: userRefs } },
    );
    return items;
  }

  async offboard(userRefs: string[]): Promise<OffboardResult[]> {
    const { results } = await this.request<{ results: OffboardResult[] }>(
      '/offboard',
      { method: 'POST', body: { users: userRefs } },
    );
    return results;
  }

  async listLocks(): Promise<UserLock[]> {
    const { items } = await this.request<{ items: UserLock[] }>('/locks');
    return items;
  }

  async unlock(userRef: string): Promise<void> {
    await this.request<void>(`/locks/${encodeURIComponent(userRef)}`, {
      method: 'DELETE',
    });
  }

  private async request<T>(
    path: string,
    init: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; body?: object } = {},
  ): Promise<T> {
    const response = await this.send(path, init, this.stepUp?.currentProof());
    if (response.ok) return this.parse<T>(response);
    const error = await ResponseError.fromResponse(response);
    if (!this.stepUp || error.body.error.name !== STEP_UP_REQUIRED) {
      throw error;
    }
    // Ask the person for their code, then try once more with the proof.
    const proof = await this.stepUp.request({
      message: error.body.error.message,
    });
    const retried = await this.send(path, init, proof);
    if (!retried.ok) throw await ResponseError.fromResponse(retried);
    return this.parse<T>(retried);
  }

  private async send(
    path: string,
    init: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; body?: object },
    proof: string | undefined,
  ) {
    const baseUrl = await this.discoveryApi.getBaseUrl('sessions');
    const headers: Record<string, string> = {};
    if (init.body) headers['Content-Type'] = 'application/json';
    if (proof) headers[STEP_UP_HEADER] = proof;
    return this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body && { body: JSON.stringify(init.body) }),
    });
  }

  private async parse<T>(response: Response): Promise<T> {
    // 204 No Content has no body to parse.
    return (response.status === 204 ? undefined : await response.json()) as T;
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
    all: request.all ? 'true' : undefined,
    flagged: request.flagged ? 'true' : undefined,
    reported: request.reported ? 'true' : undefined,
    endedFrom: request.endedFrom,
    endedBefore: request.endedBefore,
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
