import {
  BackstageCredentials,
  BackstageServicePrincipal,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { PORTAL_SOURCE } from '@active-sessions/plugin-sessions-common';
import { ConnectorSettings } from '../config';
import { ConnectorStore } from '../database/ConnectorStore';

/** The auth backend plugin's own credentials: it reports portal sign-ins. */
export const PORTAL_SUBJECT = 'plugin:auth';

/**
 * What a connector route does for its source: report sessions, attach
 * recordings, report grants, or read and acknowledge orders.
 */
export type ConnectorCapability =
  'sessions' | 'recordings' | 'grants' | 'orders';

/** The last subject is written again at most this often while unchanged. */
const RECORD_EVERY_MS = 60_000;

/**
 * Who may speak for which source. A connector's credential is bound to the
 * sources declared with its subject in `sessions.connectors.sources`; any
 * other source, declared or not, is refused. `portal` is the backend's own
 * sign-in tracking: only the auth plugin reports it, and only sessions (its
 * orders are carried out inside the backend, never read over HTTP).
 */
export class ConnectorIdentity {
  private readonly subjectsBySource: Map<string, Set<string>>;
  private readonly recorded = new Map<
    string,
    { subject: string; at: number }
  >();

  constructor(
    private readonly options: {
      connectors: ConnectorSettings[];
      store: ConnectorStore;
      now?: () => number;
    },
  ) {
    this.subjectsBySource = new Map(
      options.connectors.map(item => [item.id, new Set(item.subjects)]),
    );
  }

  /** Throws a 403 naming the source unless the caller speaks for it. */
  async authorize(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
    source: string,
    capability: ConnectorCapability,
  ): Promise<void> {
    const subject = credentials.principal.subject;
    if (source === PORTAL_SOURCE) {
      if (subject !== PORTAL_SUBJECT || capability !== 'sessions') {
        throw new NotAllowedError(
          `Source '${PORTAL_SOURCE}' is the portal's own sign-in tracking; no connector may ${describe(capability)} for it`,
        );
      }
    } else {
      const subjects = this.subjectsBySource.get(source);
      if (!subjects) {
        throw new NotAllowedError(
          `Source '${source}' is not declared in sessions.connectors.sources`,
        );
      }
      if (!subjects.has(subject)) {
        throw new NotAllowedError(
          `The credential '${subject}' may not speak for source '${source}'`,
        );
      }
    }
  }

  /**
   * Keeps who last spoke for a source, for the Connectors tab: called once
   * a call succeeded, so a refused or bad request writes nothing.
   */
  async remember(source: string, subject: string) {
    const now = (this.options.now ?? Date.now)();
    const last = this.recorded.get(source);
    if (last?.subject === subject && now - last.at < RECORD_EVERY_MS) return;
    this.recorded.set(source, { subject, at: now });
    await this.options.store.recordSubject(source, subject, now);
  }
}

function describe(capability: ConnectorCapability) {
  switch (capability) {
    case 'sessions':
      return 'report sessions';
    case 'recordings':
      return 'attach recordings';
    case 'grants':
      return 'report grants';
    default:
      return 'read or acknowledge orders';
  }
}
