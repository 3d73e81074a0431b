import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AccessGrant,
  grantReadPermission,
  grantRevokePermission,
  GrantKind,
  GrantPage,
  GrantStats,
  GrantStatus,
  GrantRevokeResult,
  GrantSortField,
  ListGrantsQuery,
} from '@active-sessions/plugin-sessions-common';
import { GrantCriteria, GrantFilter, GrantStore } from '../database/GrantStore';
import { allowedOrThrow, ResourceAccess } from '../permissions/ResourceAccess';
import { decodeCursor, toPage } from './cursor';
import { StepUpGuard, noStepUp } from '../mfa/StepUpGuard';
import { callerRef } from './callerRef';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

function sortValue(grant: AccessGrant, sort: GrantSortField): string | number {
  if (sort === 'target') return grant.target;
  return Date.parse(sort === 'startsAt' ? grant.startsAt : grant.expiresAt);
}

/** What a revoke may do, decided before anything is asked or written. */
interface RevokePlan {
  ids: string[];
  readable: Map<string, AccessGrant>;
  revocable: Set<string>;
  criteria: GrantCriteria | undefined;
}

/**
 * What a person can do with elevated grants: list and look at them, revoke
 * them within what the policy allows, and give their own back early.
 */
export class GrantService {
  constructor(
    private readonly store: GrantStore,
    private readonly access: ResourceAccess<GrantFilter>,
    private readonly stepUp: StepUpGuard = noStepUp,
    private readonly now: () => number = Date.now,
  ) {}

  async list(
    credentials: UserCredentials,
    query: ListGrantsQuery,
  ): Promise<GrantPage> {
    const { criteria } = allowedOrThrow(
      await this.access.decide(grantReadPermission, credentials),
      'read grants',
    );
    const rows = await this.store.listGrants({
      userRef: query.all ? undefined : (query.user ?? callerRef(credentials)),
      ids: query.id,
      kinds: query.kind,
      statuses: query.status,
      text: query.q || undefined,
      sort: query.sort,
      order: query.order,
      limit: query.limit + 1,
      after: query.cursor
        ? decodeCursor(
            query.cursor,
            query,
            query.sort === 'target' ? 'string' : 'number',
          )
        : undefined,
      access: criteria,
    });
    return toPage(rows, query.limit, query, row => sortValue(row, query.sort));
  }

  /** The caller's own grants in force, per kind, and those being revoked. */
  async stats(credentials: UserCredentials): Promise<GrantStats> {
    const { criteria } = allowedOrThrow(
      await this.access.decide(grantReadPermission, credentials),
      'read grants',
    );
    const rows = await this.store.countByKind({
      userRef: callerRef(credentials),
      statuses: ['active', 'revoking'],
      access: criteria,
    });
    const count = (kind: GrantKind | undefined, status: GrantStatus) =>
      rows
        .filter(row => row.status === status && (!kind || row.kind === kind))
        .reduce((sum, row) => sum + row.count, 0);
    return {
      deviceAdmin: count('device_admin', 'active'),
      timedAccess: count('timed_access', 'active'),
      revoking: count(undefined, 'revoking'),
    };
  }

  /** A grant the caller may read; others are reported as not found. */
  async get(credentials: UserCredentials, id: string): Promise<AccessGrant> {
    const read = await this.access.decide(grantReadPermission, credentials);
    const grant = read.allowed
      ? await this.store.getGrant(id, read.criteria)
      : undefined;
    if (!grant) {
      throw new NotFoundError(`No grant with id ${id}`);
    }
    return grant;
  }

  /**
   * Revokes each id the caller may revoke and says what happened to every
   * one: revoked, already_ended, denied or not_found. Never all-or-nothing.
   * Asks for a step-up only when there is something the caller may revoke.
   */
  async revokeMany(
    credentials: UserCredentials,
    ids: string[],
    proof?: string,
  ): Promise<GrantRevokeResult> {
    const plan = await this.planRevoke(credentials, ids);
    if (plan.revocable.size) {
      await this.stepUp.require(
        { userRef: callerRef(credentials), proof },
        'bulk-revoke',
      );
    }
    return this.applyRevoke(credentials, plan);
  }

  /** Revokes one grant; revoking one that already ended changes nothing. */
  async revokeOne(
    credentials: UserCredentials,
    id: string,
    proof?: string,
  ): Promise<{ grant: AccessGrant; revoked: boolean }> {
    const caller = callerRef(credentials);
    // The cut flow: read, permission, step-up, conditional update (with
    // its order), in that order: nobody is asked for a code, then refused.
    const plan = await this.planRevoke(credentials, [id]);
    const grant = plan.readable.get(id);
    if (!grant) {
      throw new NotFoundError(`No grant with id ${id}`);
    }
    if (!plan.revocable.has(id)) {
      throw new NotAllowedError('You are not allowed to revoke this grant');
    }
    if (grant.userRef !== caller) {
      await this.stepUp.require({ userRef: caller, proof }, 'act-for-others');
    }
    const [{ outcome }] = (await this.applyRevoke(credentials, plan)).results;
    // `already_ended`: it had ended, or another replica revoked it first.
    return {
      grant: await this.get(credentials, id),
      revoked: outcome === 'revoked',
    };
  }

  /** Which of `ids` the caller may read, and which of those revoke. */
  private async planRevoke(
    credentials: UserCredentials,
    ids: string[],
  ): Promise<RevokePlan> {
    const unique = [...new Set(ids)];
    const [read, revoke] = await Promise.all([
      this.access.decide(grantReadPermission, credentials),
      this.access.decide(grantRevokePermission, credentials),
    ]);
    const readable = read.allowed
      ? await this.store.findGrants({ ids: unique, access: read.criteria })
      : [];
    const revocable = revoke.allowed
      ? await this.store.findGrants({
          ids: readable.map(grant => grant.id),
          access: revoke.criteria,
        })
      : [];
    return {
      ids: unique,
      readable: new Map(readable.map(grant => [grant.id, grant])),
      revocable: new Set(revocable.map(grant => grant.id)),
      criteria: revoke.allowed ? revoke.criteria : undefined,
    };
  }

  /** Revokes what the plan allows, still under the revoke criteria. */
  private async applyRevoke(
    credentials: UserCredentials,
    plan: RevokePlan,
  ): Promise<GrantRevokeResult> {
    const revoked = new Set(
      plan.revocable.size
        ? (
            await this.store.revokeGrants(
              { ids: [...plan.revocable], access: plan.criteria },
              {
                reason: 'revoked',
                revokedBy: callerRef(credentials),
                at: this.now(),
                orderConnector: true,
              },
            )
          ).map(grant => grant.id)
        : [],
    );
    return {
      results: plan.ids.map(id => {
        if (!plan.readable.has(id)) return { id, outcome: 'not_found' };
        if (!plan.revocable.has(id)) return { id, outcome: 'denied' };
        return { id, outcome: revoked.has(id) ? 'revoked' : 'already_ended' };
      }),
    };
  }

  /** The holder gives their own grant back before it expires. */
  async giveBack(
    credentials: UserCredentials,
    id: string,
  ): Promise<{ grant: AccessGrant; revoked: boolean }> {
    const caller = callerRef(credentials);
    const grant = await this.get(credentials, id);
    if (grant.userRef !== caller) {
      throw new NotAllowedError('You can only give back your own grants');
    }
    const [givenBack] = await this.store.revokeGrants(
      { ids: [id], userRef: caller },
      {
        reason: 'given_back',
        revokedBy: caller,
        at: this.now(),
        orderConnector: true,
      },
    );
    return givenBack
      ? { grant: givenBack, revoked: true }
      : { grant, revoked: false };
  }
}
