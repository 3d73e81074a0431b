import { Knex } from 'knex';
import {
  AccessGrant,
  GrantKind,
  GrantRevokeReason,
  GrantStatus,
} from '@active-sessions/plugin-sessions-common';
import { OnOrdered, recordConnectorOrders } from './connectorOrders';
import {
  DEFAULT_CONFIRM_WITHIN_MS,
  GRANT_CUTS,
  confirmCuts,
} from './cutConfirmations';
import {
  GrantFilter,
  GrantListQuery,
  GrantRevocation,
  GrantSelector,
  GrantStore,
  NewGrant,
} from './GrantStore';
import {
  insertNewBySourceAndExternalId,
  statusByExternalId,
  toIso,
  toIsoOrNull,
  transitionRows,
  fromRow,
  whereAfter,
  whereContains,
  whereCriteria,
  countPerUser,
  whereInExactly,
  FilterColumn,
} from './sqlHelpers';
import { prepareSqliteSearch } from './sqliteUnicodeLower';
import { whereManagedBy } from './KnexManagedMembersStore';

const GRANTS = 'access_grants';
const EVENTS = 'grant_events';

type GrantRow = {
  id: string;
  kind: string;
  user_ref: string;
  target: string;
  target_type: string;
  granted_by: string | null;
  reason: string | null;
  source: string;
  external_id: string;
  status: string;
  starts_at: number | string;
  expires_at: number | string;
  revoked_at: number | string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  cut_deadline_at: number | string | null;
  cut_confirmed_at: number | string | null;
  cut_failure: string | null;
};

const FILTER_COLUMNS: Record<GrantFilter['property'], FilterColumn> = {
  userRef: 'user_ref',
  managedBy: (query, managerRefs) =>
    whereManagedBy(query, 'user_ref', managerRefs),
  kind: 'kind',
  target: (query, targets) => whereInExactly(query, 'target', targets),
  status: 'status',
  source: 'source',
};

const SORT_COLUMNS = {
  expiresAt: 'expires_at',
  startsAt: 'starts_at',
  target: 'target',
} as const;

const SEARCHED_COLUMNS = ['target', 'user_ref', 'granted_by'];

function toGrant(row: GrantRow): AccessGrant {
  return {
    id: row.id,
    kind: row.kind as GrantKind,
    userRef: row.user_ref,
    target: row.target,
    targetType: row.target_type,
    grantedBy: row.granted_by,
    reason: row.reason,
    source: row.source,
    externalId: row.external_id,
    status: row.status as GrantStatus,
    startsAt: toIso(row.starts_at),
    expiresAt: toIso(row.expires_at),
    revokedAt: toIsoOrNull(row.revoked_at),
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason as GrantRevokeReason | null,
    cutDeadlineAt: toIsoOrNull(row.cut_deadline_at),
    cutConfirmedAt: toIsoOrNull(row.cut_confirmed_at),
    cutFailure: row.cut_failure,
  };
}

function whereSelector(query: Knex.QueryBuilder, selector: GrantSelector) {
  if (selector.ids) query.whereIn('id', selector.ids);
  if (selector.userRef) query.where('user_ref', selector.userRef);
  if (selector.kinds) query.whereIn('kind', selector.kinds);
  if (selector.statuses) query.whereIn('status', selector.statuses);
  if (selector.source) query.where('source', selector.source);
  if (selector.externalIds) query.whereIn('external_id', selector.externalIds);
  if (selector.access) whereCriteria(query, selector.access, FILTER_COLUMNS);
}

/** The {@link GrantStore} on any database knex speaks to. */
export class KnexGrantStore implements GrantStore {
  constructor(
    private readonly db: Knex,
    private readonly options: {
      confirmWithinMs: number;
      /** Told once orders for connectors have committed. */
      onOrdered?: OnOrdered;
    } = {
      confirmWithinMs: DEFAULT_CONFIRM_WITHIN_MS,
    },
  ) {
    prepareSqliteSearch(db);
  }

  async insertGrants(
    grants: NewGrant[],
    actor: string,
  ): Promise<{ insertedExternalIds: string[] }> {
    return this.db.transaction(async trx => {
      const inserted = await insertNewBySourceAndExternalId<GrantRow>(trx, {
        table: GRANTS,
        rows: grants.map(grant => ({
          id: grant.id,
          kind: grant.kind,
          user_ref: grant.userRef,
          target: grant.target,
          target_type: grant.targetType,
          granted_by: grant.grantedBy,
          reason: grant.reason,
          source: grant.source,
          external_id: grant.externalId,
          status: 'active',
          starts_at: grant.startsAt,
          expires_at: grant.expiresAt,
        })),
        history: {
          table: EVENTS,
          row: row => ({
            grant_id: row.id,
            event_type: 'granted',
            from_status: null,
            to_status: 'active',
            actor,
            reason: null,
            created_at: Number(row.starts_at),
          }),
        },
      });
      return { insertedExternalIds: inserted.map(row => row.external_id) };
    });
  }

  async findStatusByExternalId(
    source: string,
    externalIds: string[],
  ): Promise<Map<string, GrantStatus>> {
    return statusByExternalId(this.db, GRANTS, source, externalIds);
  }

  async listGrants(query: GrantListQuery): Promise<AccessGrant[]> {
    const column = SORT_COLUMNS[query.sort];
    const rows = await this.db<GrantRow>(GRANTS)
      .modify(builder => {
        whereSelector(builder, query);
        if (query.text) whereContains(builder, SEARCHED_COLUMNS, query.text);
        if (query.after) whereAfter(builder, column, query.order, query.after);
      })
      .orderBy([
        { column, order: query.order },
        { column: 'id', order: query.order },
      ])
      .limit(query.limit)
      .select();
    return rows.map(toGrant);
  }

  async findGrants(selector: GrantSelector): Promise<AccessGrant[]> {
    const rows = await this.db<GrantRow>(GRANTS)
      .modify(builder => whereSelector(builder, selector))
      .select();
    return rows.map(toGrant);
  }

  async getGrant(id: string, access?: GrantSelector['access']) {
    const [grant] = await this.findGrants({ ids: [id], access });
    return grant;
  }

  async countActiveByUser(
    selector: GrantSelector,
    text: string | undefined,
    limit: number,
  ) {
    return countPerUser(
      this.db(GRANTS),
      builder => whereSelector(builder, { ...selector, statuses: ['active'] }),
      text,
      limit,
    );
  }

  async countByKind(selector: GrantSelector) {
    const rows: Array<{ kind: GrantKind; status: GrantStatus; count: any }> =
      await this.db(GRANTS)
        .modify(builder =>
          whereSelector(builder, {
            ...selector,
            statuses: selector.statuses ?? ['active'],
          }),
        )
        .groupBy('kind', 'status')
        .orderBy(['kind', 'status'])
        .select('kind', 'status')
        .count({ count: '*' });
    return rows.map(row => ({
      kind: row.kind,
      status: row.status,
      count: Number(row.count),
    }));
  }

  async revokeGrants(
    selector: GrantSelector,
    revocation: GrantRevocation,
  ): Promise<AccessGrant[]> {
    // Revoked here, a grant waits for its connector to remove it; reported
    // ended by its connector, it is removed already.
    const to = revocation.orderConnector ? 'revoking' : 'revoked';
    const at = revocation.at;
    return this.db.transaction(async trx => {
      const revoked = await transitionRows<GrantRow>(trx, {
        table: GRANTS,
        where: query =>
          whereSelector(query, { ...selector, statuses: ['active'] }),
        patch: {
          status: to,
          revoked_at: at,
          revoked_by: revocation.revokedBy,
          revoke_reason: revocation.reason,
          ...(to === 'revoking'
            ? { cut_deadline_at: at + this.options.confirmWithinMs }
            : { cut_confirmed_at: at }),
        },
        history: {
          table: EVENTS,
          columns: {
            grant_id: fromRow('id'),
            event_type: 'revoked',
            from_status: 'active',
            to_status: to,
            actor: revocation.revokedBy,
            reason: revocation.reason,
            created_at: at,
          },
        },
      });
      if (revocation.orderConnector) {
        await recordConnectorOrders(
          trx,
          revoked,
          {
            action: 'revoke_grant',
            reason: revocation.reason,
            requestedBy: revocation.revokedBy,
            at,
          },
          this.options.onOrdered,
        );
      } else {
        // The source reporting the end confirms a removal asked of it.
        await confirmCuts(
          trx,
          GRANT_CUTS,
          query => whereSelector(query, selector),
          { at, actor: revocation.revokedBy },
        );
      }
      return revoked.map(toGrant);
    });
  }

  async expireGrants(at: number, actor: string): Promise<string[]> {
    return this.db.transaction(async trx => {
      const expired = await transitionRows<GrantRow>(trx, {
        table: GRANTS,
        where: query =>
          query.where('status', 'active').where('expires_at', '<=', at),
        patch: { status: 'expired' },
        history: {
          table: EVENTS,
          columns: {
            grant_id: fromRow('id'),
            event_type: 'expired',
            from_status: 'active',
            to_status: 'expired',
            actor,
            reason: null,
            created_at: fromRow('expires_at'),
          },
        },
      });
      return expired.map(grant => grant.id);
    });
  }
}
