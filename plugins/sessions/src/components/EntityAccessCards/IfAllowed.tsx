import { ResourcePermission } from '@backstage/plugin-permission-common';
import { usePermission } from '@backstage/plugin-permission-react';
import { ReactNode } from 'react';

/**
 * Shows its children only when the policy allows `permission` on this one
 * session or grant: the permission backend asks the sessions backend to
 * apply a conditional decision (such as "managed by") to that resource.
 */
export function IfAllowed(props: {
  permission: ResourcePermission;
  resourceRef: string;
  children: ReactNode;
}) {
  const { allowed } = usePermission({
    permission: props.permission,
    resourceRef: props.resourceRef,
  });
  return allowed ? <>{props.children}</> : null;
}
