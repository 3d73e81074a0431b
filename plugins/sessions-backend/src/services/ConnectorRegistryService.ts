import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ConnectorStatus,
  connectorReadPermission,
} from '@active-sessions/plugin-sessions-common';
import { ConnectorSettings } from '../config';
import { ConnectorStore } from '../database/ConnectorStore';

const isoOrNull = (at: number | null) =>
  at === null ? null : new Date(at).toISOString();

/**
 * The connectors admins watch: those declared in config and those seen on
 * the order feed, each online or offline by when it last read its orders.
 */
export class ConnectorRegistryService {
  constructor(
    private readonly options: {
      store: ConnectorStore;
      permissions: PermissionsService;
      connectors: ConnectorSettings[];
      offlineAfterMs: number;
      now?: () => number;
    },
  ) {}

  async list(credentials: BackstageCredentials): Promise<ConnectorStatus[]> {
    const { store, permissions, connectors, offlineAfterMs } = this.options;
    const [decision] = await permissions.authorize(
      [{ permission: connectorReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not see the connectors');
    }
    const now = (this.options.now ?? Date.now)();
    const [records, pending] = await Promise.all([
      store.listConnectors(),
      store.pendingOrders(),
    ]);
    const recordById = new Map(records.map(record => [record.id, record]));
    const declared = new Map(connectors.map(item => [item.id, item]));
    const ids = [
      ...new Set([...declared.keys(), ...recordById.keys(), ...pending.keys()]),
    ].sort();
    return ids.map(id => {
      const record = recordById.get(id);
      const settings = declared.get(id);
      const waiting = pending.get(id);
      const lastPollAt = record?.lastPollAt ?? null;
      return {
        id,
        title: settings?.title ?? id,
        configured: Boolean(settings),
        lastPollAt: isoOrNull(lastPollAt),
        online: lastPollAt !== null && now - lastPollAt <= offlineAfterMs,
        pendingOrders: waiting?.count ?? 0,
        oldestPendingAt: isoOrNull(waiting?.oldestAt ?? null),
        lastSubject: record?.lastSubject ?? null,
        lastSubjectAt: isoOrNull(record?.lastSubjectAt ?? null),
        webhookUrl: settings?.webhook?.url ?? null,
        webhookFailure:
          record?.pushFailedAt && record.pushFailure
            ? {
                at: new Date(record.pushFailedAt).toISOString(),
                message: record.pushFailure,
              }
            : null,
      };
    });
  }
}
