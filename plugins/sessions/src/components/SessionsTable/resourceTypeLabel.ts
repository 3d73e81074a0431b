import { ResourceType } from '@internal/plugin-sessions-common';

const LABELS: Record<ResourceType, string> = {
  ssh: 'SSH',
  rdp: 'RDP',
  web: 'Web',
  portal: 'Portal sign-in',
};

/** How a resource type is named on screen. */
export function resourceTypeLabel(type: ResourceType): string {
  return LABELS[type] ?? type;
}
