import {
  GrantCriteria,
  GrantFilter,
} from '@active-sessions/plugin-sessions-node';
import {
  AccessGrant,
  GrantKind,
  GrantRevokeReason,
  GrantSortField,
  GrantStatus,
} from '@active-sessions/plugin-sessions-common';

export type { GrantFilter, GrantCriteria };

/** A grant as a connector reports it. Instants are epoch ms. */
export interface NewGrant {
  id: string;
  kind: GrantKind;
  userRef: string;
  target: string;
  targetType: string;
  grantedBy: string | null;
  reason: string | null;
  source: string;
  externalId: string;
  startsAt: number;
  expiresAt: number;
}

/** Which grants an operation applies to; every field narrows. */
export interface GrantSelector {
  ids?: string[];
  userRef?: string;
  kinds?: GrantKind[];
  statuses?: GrantStatus[];
  source?: string;
  externalIds?: string[];
  access?: GrantCriteria;
}

export interface GrantListQuery extends GrantSelector {
  /** Case-insensitive text in target, user or granted by. */
  text?: string;
  sort: GrantSortField;
  order: 'asc' | 'desc';
  limit: number;
  after?: { value: string | number; id: string };
}

export interface GrantRevocation {
  reason: GrantRevokeReason;
  revokedBy: string;
  at: number;
  /**
   * Record an order for the grant's connector to remove the privilege, in
   * the same transaction. Not when the connector itself reported the end.
   */
  orderConnector: boolean;
}

/**
 * Persistence of elevated grants and the connector orders their revocation
 * produces. Speaks SQL only; each state change is one conditional UPDATE.
 */
export interface GrantStore {
  insertGrants(
    grants: NewGrant[],
    actor: string,
  ): Promise<{ insertedExternalIds: string[] }>;
  findStatusByExternalId(
    source: string,
    externalIds: string[],
  ): Promise<Map<string, GrantStatus>>;
  listGrants(query: GrantListQuery): Promise<AccessGrant[]>;
  /** The grants matching a selector, unpaged; for selectors naming ids. */
  findGrants(selector: GrantSelector): Promise<AccessGrant[]>;
  getGrant(
    id: string,
    access?: GrantCriteria,
  ): Promise<AccessGrant | undefined>;
  /** Active grants counted per user whose entity ref contains `text`. */
  countActiveByUser(
    selector: GrantSelector,
    text: string | undefined,
    limit: number,
  ): Promise<Array<{ userRef: string; count: number }>>;
  /**
   * Grants the selector matches, counted per kind and status; only active
   * ones unless the selector names statuses.
   */
  countByKind(
    selector: GrantSelector,
  ): Promise<Array<{ kind: GrantKind; status: GrantStatus; count: number }>>;
  /** Revokes the active grants the selector matches; returns those revoked. */
  revokeGrants(
    selector: GrantSelector,
    revocation: GrantRevocation,
  ): Promise<AccessGrant[]>;
  /** Active grants past their expiry become expired; returns their ids. */
  expireGrants(at: number, actor: string): Promise<string[]>;
}
