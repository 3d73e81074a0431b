import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  OffboardPreview,
  OffboardResult,
  STEP_UP_HEADER,
  StepUpProof,
} from '@active-sessions/plugin-sessions-common';

/** The plugin the action calls, as discovery and tokens name it. */
export const SESSIONS_PLUGIN_ID = 'sessions';

/** A refusal from the sessions API, as its error body tells it. */
export class SessionsApiError extends Error {
  constructor(
    readonly statusCode: number,
    /** `error.name` of the body, e.g. `StepUpRequiredError`. */
    readonly errorName: string,
    /** `error.message` of the body: what the API said. */
    readonly apiMessage: string,
    readonly path: string,
  ) {
    super(apiMessage);
    this.name = 'SessionsApiError';
  }
}

/**
 * The few routes of the Active Sessions backend the action needs, each
 * called with a token on behalf of the person running the template: the
 * sessions backend applies that person's permissions and step-up, as if
 * they had pressed the button on the People tab themselves.
 */
export class SessionsClient {
  constructor(
    private readonly options: {
      auth: AuthService;
      discovery: DiscoveryService;
    },
  ) {}

  /** What offboarding would cut, per person (`POST /offboard/preview`). */
  async preview(
    credentials: BackstageCredentials,
    users: string[],
  ): Promise<OffboardPreview[]> {
    const { items } = await this.post<{ items: OffboardPreview[] }>(
      credentials,
      '/offboard/preview',
      { users },
    );
    return items;
  }

  /** Locks and cuts each person (`POST /offboard`), with a proof if any. */
  async offboard(
    credentials: BackstageCredentials,
    users: string[],
    proof?: string,
  ): Promise<OffboardResult[]> {
    const { results } = await this.post<{ results: OffboardResult[] }>(
      credentials,
      '/offboard',
      { users },
      proof ? { [STEP_UP_HEADER]: proof } : {},
    );
    return results;
  }

  /**
   * Exchanges a current code (six digits) or a recovery code of the caller
   * for a step-up proof (`POST /mfa/verify`).
   */
  async verify(
    credentials: BackstageCredentials,
    factor: { code: string } | { recoveryCode: string },
  ): Promise<StepUpProof> {
    return this.post<StepUpProof>(credentials, '/mfa/verify', factor);
  }

  private async post<T>(
    credentials: BackstageCredentials,
    path: string,
    body: object,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const { auth, discovery } = this.options;
    const [{ token }, baseUrl] = await Promise.all([
      auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: SESSIONS_PLUGIN_ID,
      }),
      discovery.getBaseUrl(SESSIONS_PLUGIN_ID),
    ]);
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${token}`,
          ...headers,
        },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new Error(
        `Could not reach Active Sessions at ${baseUrl}${path}: ${
          (error as Error).message
        }`,
      );
    }
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      throw new SessionsApiError(
        error.statusCode,
        error.body?.error?.name ?? error.name,
        error.body?.error?.message ?? error.message,
        path,
      );
    }
    // Parsed here rather than by `response.json()`: the values then belong
    // to this module's realm (the scaffolder's templating refuses arrays of
    // another one, as `fetch` makes them under Jest).
    return JSON.parse(await response.text()) as T;
  }
}
