import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import {
  GrantKind,
  OffboardPreview,
  OffboardResult,
  PersonSummary,
  grantReadPermission,
  grantRevokePermission,
  sessionReadPermission,
  sessionTerminatePermission,
  userLockPermission,
  userOffboardPermission,
  userUnlockPermission,
} from '@active-sessions/plugin-sessions-common';
import { ManagedMembersStore } from '../database/ManagedMembersStore';
import { UserFilter, userMatches } from '@active-sessions/plugin-sessions-node';
import { GrantFilter, GrantStore } from '../database/GrantStore';
import { SessionFilter, SessionStore } from '../database/SessionStore';
import { UserLock, UserLockStore } from '../database/UserLockStore';
import { StepUpGuard, noStepUp } from '../mfa/StepUpGuard';
import { AccessDecision, ResourceAccess } from '../permissions/ResourceAccess';
import { callerRef } from './callerRef';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** Both decisions must hold: what may be read and what may be cut. */
function both<T>(...decisions: AccessDecision<T>[]): {
  allowed: boolean;
  criteria?: PermissionCriteria<T>;
} {
  if (decisions.some(decision => !decision.allowed)) return { allowed: false };
  const criteria = decisions.flatMap(decision =>
    decision.allowed && decision.criteria ? [decision.criteria] : [],
  );
  if (criteria.length === 0) return { allowed: true };
  if (criteria.length === 1) return { allowed: true, criteria: criteria[0] };
  return {
    allowed: true,
    criteria: { allOf: criteria as [PermissionCriteria<T>] },
  };
}

/** Active grants per kind, as offboarding shows them. */
const perKind = (rows: Array<{ kind: GrantKind; count: number }>) =>
  rows.map(({ kind, count }) => ({ kind, count }));

/**
 * Offboarding a leaver in one step: a preview of everything they hold, then
 * a lock against new sessions and grants, every session ended and every
 * grant revoked, each with an order for its connector, and an audit event
 * per person.
 */
export class OffboardService {
  constructor(
    private readonly options: {
      sessions: SessionStore;
      grants: GrantStore;
      locks: UserLockStore;
      sessionAccess: ResourceAccess<SessionFilter>;
      grantAccess: ResourceAccess<GrantFilter>;
      userAccess: ResourceAccess<UserFilter>;
      managedMembers: ManagedMembersStore;
      permissions: PermissionsService;
      auditor: AuditorService;
      stepUp?: StepUpGuard;
      now?: () => number;
    },
  ) {}

  /**
   * People holding open sessions or active grants the caller may read,
   * whose entity ref contains `text`, with their counts.
   */
  async people(
    credentials: UserCredentials,
    text: string | undefined,
    limit: number,
  ): Promise<PersonSummary[]> {
    await this.requireBasic(credentials, userOffboardPermission, 'see people');
    const [sessionRead, grantRead] = await Promise.all([
      this.options.sessionAccess.decide(sessionReadPermission, credentials),
      this.options.grantAccess.decide(grantReadPermission, credentials),
    ]);
    const [sessionCounts, grantCounts] = await Promise.all([
      sessionRead.allowed
        ? this.options.sessions.countOpenByUser(
            { access: sessionRead.criteria },
            text,
            limit,
          )
        : [],
      grantRead.allowed
        ? this.options.grants.countActiveByUser(
            { access: grantRead.criteria },
            text,
            limit,
          )
        : [],
    ]);
    const sessionsOf = new Map(sessionCounts.map(c => [c.userRef, c.count]));
    const grantsOf = new Map(grantCounts.map(c => [c.userRef, c.count]));
    // Both lists are the first `limit` by entity ref; so is their union's start.
    const userRefs = [...new Set([...sessionsOf.keys(), ...grantsOf.keys()])]
      .sort()
      .slice(0, limit);
    const [locked, mayOffboard] = await Promise.all([
      this.options.locks.lockedAmong(userRefs),
      this.mayLock(credentials, userRefs),
    ]);
    return userRefs.map(userRef => ({
      userRef,
      openSessions: sessionsOf.get(userRef) ?? 0,
      activeGrants: grantsOf.get(userRef) ?? 0,
      // Whether someone is locked is told only to who may lock them.
      locked: mayOffboard.has(userRef) ? locked.has(userRef) : undefined,
      mayOffboard: mayOffboard.has(userRef),
    }));
  }

  async preview(
    credentials: UserCredentials,
    userRefs: string[],
  ): Promise<OffboardPreview[]> {
    await this.requireBasic(
      credentials,
      userOffboardPermission,
      'offboard people',
    );
    const { sessions, grants, locks } = this.options;
    const [sessionRead, grantRead] = await Promise.all([
      this.options.sessionAccess.decide(sessionReadPermission, credentials),
      this.options.grantAccess.decide(grantReadPermission, credentials),
    ]);
    const [locked, mayOffboard] = await Promise.all([
      locks.lockedAmong(userRefs),
      this.mayLock(credentials, userRefs),
    ]);
    return Promise.all(
      userRefs.map(async userRef => ({
        userRef,
        // Whether someone is locked is told only to who may lock them.
        locked: mayOffboard.has(userRef) ? locked.has(userRef) : undefined,
        mayOffboard: mayOffboard.has(userRef),
        sessions: sessionRead.allowed
          ? await sessions.countOpenByResource({
              userRef,
              access: sessionRead.criteria,
            })
          : [],
        grants: grantRead.allowed
          ? perKind(
              await grants.countByKind({
                userRef,
                access: grantRead.criteria,
              }),
            )
          : [],
      })),
    );
  }

  async offboard(
    credentials: UserCredentials,
    userRefs: string[],
    proof?: string,
  ): Promise<OffboardResult[]> {
    await this.requireBasic(
      credentials,
      userOffboardPermission,
      'offboard people',
    );
    const caller = callerRef(credentials);
    const people = [...new Set(userRefs)];
    const mayOffboard = await this.mayLock(credentials, people);
    const outside = people.filter(userRef => !mayOffboard.has(userRef));
    if (outside.length > 0) {
      // Nobody is touched unless every one of them may be.
      throw new NotAllowedError(
        `You are not allowed to offboard ${outside.join(', ')}`,
      );
    }
    await (this.options.stepUp ?? noStepUp).require(
      { userRef: caller, proof },
      'offboard',
    );
    const [sessionRead, terminate, grantRead, revoke] = await Promise.all([
      this.options.sessionAccess.decide(sessionReadPermission, credentials),
      this.options.sessionAccess.decide(
        sessionTerminatePermission,
        credentials,
      ),
      this.options.grantAccess.decide(grantReadPermission, credentials),
      this.options.grantAccess.decide(grantRevokePermission, credentials),
    ]);
    const endable = both(sessionRead, terminate);
    const revocable = both(grantRead, revoke);
    const results: OffboardResult[] = [];
    for (const userRef of people) {
      results.push(
        await this.offboardOne(caller, userRef, {
          sessionRead,
          grantRead,
          endable,
          revocable,
        }),
      );
    }
    return results;
  }

  private async offboardOne(
    caller: string,
    userRef: string,
    access: {
      sessionRead: AccessDecision<SessionFilter>;
      grantRead: AccessDecision<GrantFilter>;
      endable: ReturnType<typeof both<SessionFilter>>;
      revocable: ReturnType<typeof both<GrantFilter>>;
    },
  ): Promise<OffboardResult> {
    const { sessions, grants, locks, auditor } = this.options;
    const at = (this.options.now ?? Date.now)();
    const event = await auditor.createEvent({
      eventId: 'user-offboard',
      severityLevel: 'high',
      meta: { userRef, offboardedBy: caller },
    });
    try {
      // Lock first: whatever a connector reports from now on is refused,
      // and what it reported before is cut below.
      await locks.lock(userRef, caller, at);
      const ended = access.endable.allowed
        ? await sessions.endSessions(
            { userRef, access: access.endable.criteria },
            {
              reason: 'offboarding',
              endedBy: caller,
              at,
              orderConnector: true,
            },
          )
        : [];
      const revoked = access.revocable.allowed
        ? await grants.revokeGrants(
            { userRef, access: access.revocable.criteria },
            {
              reason: 'offboarding',
              revokedBy: caller,
              at,
              orderConnector: true,
            },
          )
        : [];
      const leftSessions = access.sessionRead.allowed
        ? await sessions.countOpenByResource({
            userRef,
            access: access.sessionRead.criteria,
          })
        : [];
      const leftGrants = access.grantRead.allowed
        ? perKind(
            await grants.countByKind({
              userRef,
              access: access.grantRead.criteria,
            }),
          )
        : [];
      const result: OffboardResult = {
        userRef,
        locked: true,
        endedSessions: ended.map(s => ({
          id: s.id,
          resourceName: s.resourceName,
        })),
        revokedGrants: revoked.map(g => ({
          id: g.id,
          target: g.target,
          kind: g.kind,
        })),
        notAllowed: {
          sessions: leftSessions.reduce((sum, item) => sum + item.count, 0),
          grants: leftGrants.reduce((sum, item) => sum + item.count, 0),
        },
      };
      await event.success({
        meta: {
          endedSessions: result.endedSessions.map(s => s.id),
          revokedGrants: result.revokedGrants.map(g => g.id),
          notAllowed: result.notAllowed,
        },
      });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  /** The locks of the people the caller may lock; nobody else's. */
  async listLocks(credentials: UserCredentials): Promise<UserLock[]> {
    await this.requireBasic(
      credentials,
      userOffboardPermission,
      'see user locks',
    );
    const locks = await this.options.locks.listLocks();
    const mayLock = await this.mayLock(
      credentials,
      locks.map(lock => lock.userRef),
    );
    return locks.filter(lock => mayLock.has(lock.userRef));
  }

  async unlock(
    credentials: UserCredentials,
    userRef: string,
    proof?: string,
  ): Promise<void> {
    const mayUnlock = await this.mayAct(userUnlockPermission, credentials, [
      userRef,
    ]);
    if (!mayUnlock.has(userRef)) {
      throw new NotAllowedError(
        `You are not allowed to lift the lock of ${userRef}`,
      );
    }
    await (this.options.stepUp ?? noStepUp).require(
      { userRef: callerRef(credentials), proof },
      'unlock',
    );
    const event = await this.options.auditor.createEvent({
      eventId: 'user-unlock',
      severityLevel: 'high',
      meta: { userRef, unlockedBy: callerRef(credentials) },
    });
    if (!(await this.options.locks.unlock(userRef))) {
      await event.fail({ error: new Error('not locked') });
      throw new NotFoundError(`${userRef} is not locked`);
    }
    await event.success();
  }

  /** Which of these people the caller may lock, and so offboard. */
  private mayLock(credentials: UserCredentials, userRefs: string[]) {
    return this.mayAct(userLockPermission, credentials, userRefs);
  }

  /** Which of these people the caller may lock, or unlock. */
  private async mayAct(
    permission: typeof userLockPermission,
    credentials: UserCredentials,
    userRefs: string[],
  ): Promise<Set<string>> {
    const decision = await this.options.userAccess.decide(
      permission,
      credentials,
    );
    if (!decision.allowed) return new Set();
    const { criteria } = decision;
    if (!criteria) return new Set(userRefs);
    const managers = await this.options.managedMembers.managersOf(userRefs);
    return new Set(
      userRefs.filter(userRef =>
        userMatches(criteria, {
          userRef,
          managedBy: managers.get(userRef) ?? [],
        }),
      ),
    );
  }

  private async requireBasic(
    credentials: UserCredentials,
    permission: BasicPermission,
    action: string,
  ) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You are not allowed to ${action}`);
    }
  }
}
