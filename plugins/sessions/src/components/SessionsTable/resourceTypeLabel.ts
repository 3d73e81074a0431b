import {
  RESOURCE_TYPE_LABELS,
  ResourceType,
} from '@active-sessions/plugin-sessions-common';

/** How a resource type is named on screen. */
export function resourceTypeLabel(type: ResourceType): string {
  return RESOURCE_TYPE_LABELS[type] ?? type;
}
