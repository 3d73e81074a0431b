import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionTransformer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  Session,
  SESSION_RESOURCE_TYPE,
} from '@internal/plugin-sessions-common';
import { SessionCriteria, SessionFilter } from '../database/SessionStore';

/** What the policy allows: nothing, everything, or rows meeting criteria. */
export type AccessDecision =
  { allowed: false } | { allowed: true; criteria?: SessionCriteria };

/**
 * Asks the permission framework about sessions and turns a conditional
 * answer into criteria the store applies in SQL.
 */
export class SessionAccess {
  private readonly toCriteria: ConditionTransformer<SessionFilter>;

  /**
   * @param ruleset - the registry's rules for sessions, including any that
   *   other modules added, so every rule a policy may use becomes SQL.
   */
  constructor(
    private readonly permissions: PermissionsService,
    ruleset: PermissionRuleset<Session, SessionFilter>,
  ) {
    this.toCriteria = createConditionTransformer(ruleset);
  }

  async decide(
    permission: ResourcePermission<typeof SESSION_RESOURCE_TYPE>,
    credentials: BackstageCredentials,
  ): Promise<AccessDecision> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      return { allowed: false };
    }
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      return { allowed: true, criteria: this.toCriteria(decision.conditions) };
    }
    return { allowed: true };
  }
}
