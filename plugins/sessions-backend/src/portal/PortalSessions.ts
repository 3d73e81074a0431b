import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { NotAllowedError, ResponseError } from '@backstage/errors';
import { IngestResult } from '@internal/plugin-sessions-common';
import { PORTAL_SOURCE } from '@internal/plugin-sessions-common';
import { describeDevice } from './describeDevice';

/**
 * The auth plugin's side of portal sign-ins: it reports each sign-in to the
 * sessions plugin as a `portal` session, through the same connector API
 * every other connector uses, with the auth plugin's service credentials.
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
    const result: IngestResult = await this.post('sessions/start', {
      source: PORTAL_SOURCE,
      sessions: [
        {
          externalId: signIn.sid,
          userRef: signIn.userRef,
          resourceName: 'Backstage portal',
          resourceType: 'portal',
          device: describeDevice(signIn.userAgent),
          ipAddress: signIn.ipAddress || undefined,
          userAgent: signIn.userAgent?.slice(0, 1000) || undefined,
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
   * Reports activity on a sign-in and says whether it is still open,
   * ended (signed out from the page, swept, offboarded) or unknown here.
   */
  async touch(sid: string): Promise<'open' | 'ended' | 'unknown'> {
    const result: IngestResult = await this.post('sessions/activity', {
      source: PORTAL_SOURCE,
      activity: [{ externalId: sid }],
    });
    if (result.ended.includes(sid)) return 'ended';
    if (result.unknown.includes(sid)) return 'unknown';
    return 'open';
  }

  /** Records a sign-out from the browser itself. */
  async end(sid: string): Promise<void> {
    await this.post('sessions/end', {
      source: PORTAL_SOURCE,
      sessions: [{ externalId: sid }],
    });
  }

  private async post(path: string, body: object) {
    const baseUrl = await this.discovery.getBaseUrl('sessions');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'sessions',
    });
    const response = await fetch(`${baseUrl}/connector/${path}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }
}
