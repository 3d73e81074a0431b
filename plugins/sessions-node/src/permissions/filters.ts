import { PermissionCriteria } from '@backstage/plugin-permission-common';

/**
 * A permission rule's query: which property, and the values it allows.
 *
 * @public
 */
export interface PropertyFilter<P extends string> {
  property: P;
  values: string[];
}

/**
 * A property a session permission rule may constrain, and the values it allows.
 *
 * @public
 */
export type SessionFilter = PropertyFilter<
  'userRef' | 'managedBy' | 'resourceType' | 'status' | 'source'
>;

/**
 * Session permission conditions, as the sessions store turns them into SQL.
 *
 * @public
 */
export type SessionCriteria = PermissionCriteria<SessionFilter>;

/**
 * A property a grant permission rule may constrain.
 *
 * @public
 */
export type GrantFilter = PropertyFilter<
  'userRef' | 'managedBy' | 'kind' | 'target' | 'status' | 'source'
>;

/**
 * Grant permission conditions, as the grant store turns them into SQL.
 *
 * @public
 */
export type GrantCriteria = PermissionCriteria<GrantFilter>;

/**
 * What a rule on people constrains.
 *
 * @public
 */
export type UserFilter = PropertyFilter<'userRef' | 'managedBy'>;
