/* eslint-disable new-cap -- the generated client's methods are HTTP verbs: api.GET */
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
import createClient, { Client, Middleware } from 'openapi-fetch';
import type { paths } from './openapi.generated';
import { SessionsApi } from './SessionsApi';
import { StepUpBroker } from './StepUpBroker';

type ApiClient = Client<paths>;

/** Refusals as Backstage's clients throw them: a ResponseError with the body. */
const throwResponseErrors: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return undefined;
  },
};

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
    return this.call(api =>
      api.GET('/sessions', { params: { query: listQuery(request) } }),
    );
  }

  async getStats(
    options: { user?: string; all?: boolean } = {},
  ): Promise<SessionStats> {
    return this.call(api =>
      api.GET('/sessions/stats', {
        params: {
          query: withoutEmpty({
            user: options.user,
            all: options.all ? ('true' as const) : undefined,
          }),
        },
      }),
    );
  }

  async getSession(id: string): Promise<Session> {
    return this.call(api =>
      api.GET('/sessions/{id}', { params: { path: { id } } }),
    );
  }

  async endSession(id: string): Promise<Session> {
    return this.call(api =>
      api.POST('/sessions/{id}/end', { params: { path: { id } }, body: {} }),
    );
  }

  async reportSession(
    id: string,
    report: { note: string; endOthers?: boolean; exceptId?: string },
  ): Promise<Session> {
    return this.call(api =>
      api.POST('/sessions/{id}/report', {
        params: { path: { id } },
        body: {
          note: report.note,
          endOthers: Boolean(report.endOthers),
          ...(report.endOthers &&
            report.exceptId && { exceptId: report.exceptId }),
        },
      }),
    );
  }

  async endAllSessions(
    options: { exceptId?: string; source?: string } = {},
  ): Promise<EndSessionsResult> {
    return this.call(api =>
      api.POST('/sessions/end-all', {
        body: {
          ...(options.exceptId && { exceptId: options.exceptId }),
          ...(options.source && { source: options.source }),
        },
      }),
    );
  }

  async getSettings(): Promise<SessionsSettingsInfo> {
    return this.call(api => api.GET('/settings'));
  }

  async choosePersonalTimeouts(
    chosen: PersonalTimeoutsBody,
  ): Promise<SessionsSettingsInfo['timeouts']> {
    return this.call(api => api.PUT('/settings/timeouts', { body: chosen }));
  }

  async resetPersonalTimeouts(): Promise<SessionsSettingsInfo['timeouts']> {
    return this.call(api => api.DELETE('/settings/timeouts'));
  }

  async getCapabilities(): Promise<SessionsCapabilities> {
    return this.call(api => api.GET('/capabilities'));
  }

  async getPortalStatus(): Promise<PortalStatus> {
    return this.call(api => api.GET('/portal/status'));
  }

  async portalHeartbeat(
    sid: string,
    active: boolean,
  ): Promise<PortalHeartbeat> {
    return this.call(api =>
      api.POST('/portal/heartbeat', { body: { sid, active } }),
    );
  }

  async listGrants(request: ListGrantsRequest = {}): Promise<GrantPage> {
    return this.call(api =>
      api.GET('/grants', { params: { query: grantListQuery(request) } }),
    );
  }

  async getGrantStats(): Promise<GrantStats> {
    return this.call(api => api.GET('/grants/stats'));
  }

  async getGrant(id: string): Promise<AccessGrant> {
    return this.call(api =>
      api.GET('/grants/{id}', { params: { path: { id } } }),
    );
  }

  async revokeGrant(id: string): Promise<AccessGrant> {
    return this.call(api =>
      api.POST('/grants/{id}/revoke', { params: { path: { id } }, body: {} }),
    );
  }

  async listConnectors(): Promise<ConnectorStatus[]> {
    const { items } = await this.call(api => api.GET('/connectors'));
    return items;
  }

  async revokeGrants(ids: string[]): Promise<GrantRevokeResult> {
    return this.call(api => api.POST('/grants/revoke', { body: { ids } }));
  }

  async giveBackGrant(id: string): Promise<AccessGrant> {
    return this.call(api =>
      api.POST('/grants/{id}/give-back', {
        params: { path: { id } },
        body: {},
      }),
    );
  }

  async getMfaStatus(): Promise<MfaStatus> {
    return this.call(api => api.GET('/mfa'));
  }

  async startMfaEnrolment(): Promise<MfaEnrolment> {
    return this.call(api => api.POST('/mfa/enrol', { body: {} }));
  }

  async activateMfa(code: string): Promise<{ recoveryCodes: string[] }> {
    return this.call(api => api.POST('/mfa/activate', { body: { code } }));
  }

  async verifyStepUp(factor: SecondFactorBody): Promise<StepUpProof> {
    return this.call(api => api.POST('/mfa/verify', { body: factor }));
  }

  async submitSignInCode(sid: string, factor: SecondFactorBody): Promise<void> {
    await this.call(api =>
      api.POST('/portal/second-factor', { body: { sid, ...factor } }),
    );
  }

  async disableMfa(factor: SecondFactorBody): Promise<void> {
    await this.call(api => api.POST('/mfa/disable', { body: factor }));
    this.stepUp?.forget();
  }

  async listPeople(q?: string): Promise<PersonSummary[]> {
    const { items } = await this.call(api =>
      api.GET('/people', {
        params: { query: withoutEmpty({ q: q?.trim() }) },
      }),
    );
    return items;
  }

  async previewOffboarding(userRefs: string[]): Promise<OffboardPreview[]> {
    const { items } = await this.call(api =>
      api.POST('/offboard/preview', { body: { users: userRefs } }),
    );
    return items;
  }

  async offboard(userRefs: string[]): Promise<OffboardResult[]> {
    const { results } = await this.call(api =>
      api.POST('/offboard', { body: { users: userRefs } }),
    );
    return results;
  }

  async listLocks(): Promise<UserLock[]> {
    const { items } = await this.call(api => api.GET('/locks'));
    return items;
  }

  async unlock(userRef: string): Promise<void> {
    await this.call(api =>
      api.DELETE('/locks/{userRef}', { params: { path: { userRef } } }),
    );
  }

  /**
   * One call through the client generated from the spec: its answer's type
   * is the spec's, so a method whose promised type differs fails to compile.
   * An action refused for want of a fresh second-factor check waits for the
   * person to confirm, then is sent once more with the proof.
   */
  private async call<T>(
    send: (api: ApiClient) => Promise<{ data?: T }>,
  ): Promise<T> {
    try {
      return (await send(await this.client(this.stepUp?.currentProof())))
        .data as T;
    } catch (error) {
      if (
        !this.stepUp ||
        !(error instanceof ResponseError) ||
        error.body.error.name !== STEP_UP_REQUIRED
      ) {
        throw error;
      }
      const proof = await this.stepUp.request({
        message: error.body.error.message,
      });
      return (await send(await this.client(proof))).data as T;
    }
  }

  private async client(proof: string | undefined): Promise<ApiClient> {
    const api = createClient<paths>({
      baseUrl: await this.discoveryApi.getBaseUrl('sessions'),
      // As a URL and init: the app's fetch middleware rebuilds requests,
      // and a Request with a body cannot be rebuilt in every browser.
      fetch: async request => {
        // By method: Firefox has no Request.body to ask.
        const body = ['GET', 'HEAD'].includes(request.method)
          ? undefined
          : await request.text();
        return this.fetchApi.fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: body || undefined,
        });
      },
      headers: proof ? { [STEP_UP_HEADER]: proof } : {},
    });
    api.use(throwResponseErrors);
    return api;
  }
}

/** The list request as query parameters: arrays travel comma-joined. */
function listQuery(request: ListSessionsRequest) {
  return withoutEmpty({
    status: request.status?.join(','),
    type: request.type?.join(','),
    q: request.q?.trim(),
    sort: request.sort,
    order: request.order,
    limit: request.limit,
    cursor: request.cursor,
    user: request.user,
    all: request.all ? ('true' as const) : undefined,
    flagged: request.flagged ? ('true' as const) : undefined,
    reported: request.reported ? ('true' as const) : undefined,
    endedFrom: request.endedFrom,
    endedBefore: request.endedBefore,
    id: request.id?.join(','),
  });
}

/**
 * The grant list request as query parameters. `all` is only sent when true:
 * the backend refuses `all` together with `user`, and false is its default.
 */
function grantListQuery(request: ListGrantsRequest) {
  return withoutEmpty({
    kind: request.kind?.join(','),
    status: request.status?.join(','),
    q: request.q?.trim(),
    sort: request.sort,
    order: request.order,
    limit: request.limit,
    cursor: request.cursor,
    user: request.user,
    all: request.all ? ('true' as const) : undefined,
    id: request.id?.join(','),
  });
}

/** Leaves out empty values, so the backend applies its defaults. */
function withoutEmpty<T extends object>(params: T): T {
  return Object.fromEntries(
    Object.entries(params).filter(
      ([, value]) => value !== undefined && value !== null && value !== '',
    ),
  ) as T;
}
