import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  IngestResult,
  PORTAL_SOURCE,
  PortalSecondFactorState,
  sessionStartSchema,
} from '@active-sessions/plugin-sessions-common';
import { describeDevice } from './describeDevice';

/** How long a sign-in waits for Active Sessions before it counts as unavailable. */
const REQUEST_TIMEOUT_MS = 10_000;

/** The start schema's limit on a user agent, in UTF-16 code units. */
const MAX_USER_AGENT_LENGTH = 1000;

/** The first `max` code units of `text`, never half a surrogate pair. */
function clip(text: string, max: number) {
  const head = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head;
}

/**
 * `value` as the start schema stores `field`, or nothing when the schema
 * would refuse it. These fields come from the browser (or a proxy): an odd
 * one is left out rather than refusing the sign-in.
 */
function accepted(
  field: 'userAgent' | 'ipAddress' | 'device',
  value: string | undefined,
): string | undefined {
  if (!value) return undefined;
  return sessionStartSchema.shape[field].safeParse(value).data ?? undefined;
}

/**
 * Whether `error` means Active Sessions gave no answer about a sign-in:
 * it could not be reached, or failed (5xx). Any other error, a 4xx above
 * all, is an answer: the sign-in was not recorded and must not go ahead.
 */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  return error instanceof ResponseError && error.statusCode >= 500;
}

/**
 * The auth plugin's side of portal sign-ins: it reports each sign-in to the
 * sessions plugin as a `portal` session, through the same connector API
 * every other connector uses, with the auth plugin's service credentials.
 *
 * @public
 */
export class PortalSessions {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** Records a new sign-in. */
  async start(signIn: {
    sid: string;
    userRef: string;
    ipAddress?: string;
    userAgent?: string;
  }): Promise<void> {
    const userAgent = accepted(
      'userAgent',
      signIn.userAgent && clip(signIn.userAgent.trim(), MAX_USER_AGENT_LENGTH),
    );
    const result: IngestResult = await this.post('sessions/start', {
      source: PORTAL_SOURCE,
      sessions: [
        {
          externalId: signIn.sid,
          userRef: signIn.userRef,
          resourceName: 'Backstage portal',
          resourceType: 'portal',
          device: accepted('device', describeDevice(userAgent)),
          ipAddress: accepted('ipAddress', signIn.ipAddress),
          userAgent,
        },
      ],
    });
    // Offboarded people are locked out of the portal too.
    if (result.refused?.includes(signIn.sid)) {
      throw new NotAllowedError(
        `${signIn.userRef} is locked by Active Sessions and cannot sign in`,
      );
    }
    if (result.overLimit?.includes(signIn.sid)) {
      throw new NotAllowedError(
        'You are signed in on as many devices as allowed; sign out one of them first',
      );
    }
  }

  /**
   * Whether a sign-in is still open (a refresh reads it: ended and unknown
   * ones cannot refresh) and waits for its person's authenticator code
   * (`sessions.signIn.secondFactor`). `decide` for a new sign-in, with the
   * browser's `deviceProof` so a browser that passed is remembered, and
   * the `nextDeviceProof` it is given if it must wait (the one remembered
   * once it passes); a refresh only reads what was decided.
   */
  async secondFactor(query: {
    sid: string;
    deviceProof?: string;
    nextDeviceProof?: string;
    decide: boolean;
  }): Promise<PortalSecondFactorState> {
    return this.post('portal/second-factor', query);
  }

  /** Records a sign-out from the browser itself. */
  async end(sid: string): Promise<void> {
    await this.post('sessions/end', {
      source: PORTAL_SOURCE,
      sessions: [{ externalId: sid }],
    });
  }

  /**
   * Records a user token issued for a sign-in, so that the limited tokens
   * made from it (which carry no `sid`) are refused once it ends.
   */
  async recordToken(token: {
    sid: string;
    proof: string;
    expiresAt: Date;
    /** Issued while its sign-in waits for its code. */
    awaitingCode?: boolean;
  }): Promise<void> {
    await this.post('portal/tokens', {
      sid: token.sid,
      proof: token.proof,
      expiresAt: token.expiresAt.toISOString(),
      ...(token.awaitingCode ? { awaitingCode: true } : {}),
    });
  }

  /**
   * Throws a `ServiceUnavailableError` when the sessions plugin cannot be
   * reached, and a `ResponseError` carrying its status when it refuses:
   * callers tell an outage from a refusal with `isUnavailable`.
   */
  private async post(path: string, body: object) {
    const baseUrl = await this.discovery.getBaseUrl('sessions');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'sessions',
    });
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/connector/${path}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
        // A hung backend counts as one that cannot be reached.
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `Active Sessions could not be reached: ${error}`,
        error,
      );
    }
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.status === 204 ? undefined : response.json();
  }
}
