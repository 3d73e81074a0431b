import { NotAllowedError } from '@backstage/errors';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionTransformer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';

/** What the policy allows: nothing, everything, or rows meeting criteria. */
export type AccessDecision<TQuery> =
  { allowed: false } | { allowed: true; criteria?: PermissionCriteria<TQuery> };

/**
 * Asks the permission framework about one resource type and turns a
 * conditional answer into criteria the store applies in SQL.
 */
export class ResourceAccess<TQuery> {
  private readonly toCriteria: ConditionTransformer<TQuery>;

  /**
   * @param ruleset - the registry's rules for the resource type, including
   *   any other modules added, so every rule a policy may use becomes SQL.
   */
  constructor(
    private readonly permissions: PermissionsService,
    ruleset: PermissionRuleset<any, TQuery>,
  ) {
    this.toCriteria = createConditionTransformer(ruleset);
  }

  async decide(
    permission: ResourcePermission,
    credentials: BackstageCredentials,
  ): Promise<AccessDecision<TQuery>> {
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

/** Throws a 403 naming the action unless the decision allows something. */
export function allowedOrThrow<TQuery>(
  decision: AccessDecision<TQuery>,
  action: string,
): { allowed: true; criteria?: PermissionCriteria<TQuery> } {
  if (!decision.allowed) {
    throw new NotAllowedError(`You are not allowed to ${action}`);
  }
  return decision;
}
