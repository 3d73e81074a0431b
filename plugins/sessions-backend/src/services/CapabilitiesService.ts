import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  SessionsCapabilities,
  grantReadPermission,
  sessionReadPermission,
} from '@active-sessions/plugin-sessions-common';
import { PropertyFilter } from '@active-sessions/plugin-sessions-node';
import { ManagedMembersStore } from '../database/ManagedMembersStore';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { reachesOthers } from '../permissions/reachesOthers';
import { callerRef } from './callerRef';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/**
 * What the page may offer the caller, decided by the permission policy, so
 * the page follows whatever policy is installed rather than guessing from
 * unrelated permissions.
 */
export class CapabilitiesService {
  constructor(
    private readonly options: {
      sessionAccess: ResourceAccess<PropertyFilter<string>>;
      grantAccess: ResourceAccess<PropertyFilter<string>>;
      managedMembers: ManagedMembersStore;
    },
  ) {}

  async of(credentials: UserCredentials): Promise<SessionsCapabilities> {
    const { sessionAccess, grantAccess } = this.options;
    const [readsOthersSessions, readsOthersGrants] = await Promise.all([
      this.readsOthers(sessionAccess, sessionReadPermission, credentials),
      this.readsOthers(grantAccess, grantReadPermission, credentials),
    ]);
    return { readsOthersSessions, readsOthersGrants };
  }

  private async readsOthers(
    access: ResourceAccess<PropertyFilter<string>>,
    permission: ResourcePermission,
    credentials: UserCredentials,
  ): Promise<boolean> {
    const decision = await access.decide(permission, credentials);
    if (!decision.allowed) return false;
    if (!decision.criteria) return true;
    const caller = callerRef(credentials);
    return reachesOthers(decision.criteria, caller, managerRefs =>
      this.options.managedMembers.managesAnyoneBut(managerRefs, caller),
    );
  }
}
