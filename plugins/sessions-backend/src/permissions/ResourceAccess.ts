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
  private readonly cache = new Map<
    string,
    { until: number; decision: Promise<AccessDecision<TQuery>> }
  >();

  /**
   * @param ruleset - the registry's rules for the resource type, including
   *   any other modules added, so every rule a policy may use becomes SQL.
   * @param cacheTtlMs - how long one caller's decision is reused; 0 asks the
   *   policy on every request. A page load asks the same few questions many
   *   times, and each answer is a round trip to the permission backend.
   */
  constructor(
    private readonly permissions: PermissionsService,
    ruleset: PermissionRuleset<any, TQuery>,
    private readonly cacheTtlMs = 0,
  ) {
    this.toCriteria = createConditionTransformer(ruleset);
  }

  async decide(
    permission: ResourcePermission,
    credentials: BackstageCredentials,
  ): Promise<AccessDecision<TQuery>> {
    const principal = credentials.principal as {
      userEntityRef?: string;
      actor?: { subject: string };
    };
    if (this.cacheTtlMs <= 0 || !principal.userEntityRef) {
      return this.ask(permission, credentials);
    }
    const key = `${principal.userEntityRef}\n${principal.actor?.subject ?? ''}\n${permission.name}`;
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.decision;
    if (this.cache.size > 10_000) this.cache.clear();
    const decision = this.ask(permission, credentials);
    this.cache.set(key, { until: now + this.cacheTtlMs, decision });
    // A failed question is not remembered.
    decision.catch(() => this.cache.delete(key));
    return decision;
  }

  private async ask(
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
