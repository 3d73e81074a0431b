import { Session } from '@internal/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import { ResourceTypeIcon } from './ResourceTypeIcon';
import { StackedText } from './StackedText';
import { resourceTypeLabel } from './resourceTypeLabel';

/** The resource a session is held on: its type icon, name and type. */
export function ResourceCell(props: { session: Session }) {
  const { resourceName, resourceType } = props.session;
  return (
    <Box display="flex" alignItems="center" style={{ gap: 12 }}>
      <ResourceTypeIcon type={resourceType} />
      <StackedText
        primary={<strong>{resourceName}</strong>}
        secondary={resourceTypeLabel(resourceType)}
      />
    </Box>
  );
}
