import { AnomalyFlag, Session } from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import FlagIcon from '@material-ui/icons/Flag';
import PlayCircleOutlineIcon from '@material-ui/icons/PlayCircleOutline';
import { Link } from '@backstage/core-components';
import { ResourceTypeIcon } from './ResourceTypeIcon';
import { StackedText } from './StackedText';
import { resourceTypeLabel } from './resourceTypeLabel';

const FLAG_LABELS: Record<AnomalyFlag, string> = {
  new_device: 'New device',
  new_country: 'New country',
  impossible_travel: 'Impossible travel',
};

/**
 * The resource a session is held on: its type icon, name and type, a badge
 * when its start was flagged for review (the reason on hover), and a link
 * to its recording for those allowed to watch it.
 */
export function ResourceCell(props: { session: Session }) {
  const { resourceName, resourceType, flags, flagDetail } = props.session;
  const { recorded, recording } = props.session;
  return (
    // Badges wrap beneath the name when the column is narrow.
    <Box display="flex" flexWrap="wrap" alignItems="center" style={{ gap: 12 }}>
      <ResourceTypeIcon type={resourceType} />
      <StackedText
        primary={
          <strong style={{ whiteSpace: 'nowrap' }}>{resourceName}</strong>
        }
        secondary={resourceTypeLabel(resourceType)}
      />
      {flags?.length > 0 && (
        <Tooltip title={flagDetail ?? ''}>
          <Chip
            size="small"
            icon={<FlagIcon />}
            label={flags.map(flag => FLAG_LABELS[flag]).join(' · ')}
            style={{ backgroundColor: '#fdecea', color: '#611a15' }}
          />
        </Tooltip>
      )}
      {recording && (
        <Link
          to={recording.url}
          title={`Watch the recording (${recording.kind})`}
          style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
        >
          <PlayCircleOutlineIcon fontSize="small" />
          Recording
        </Link>
      )}
      {recorded && !recording && (
        <Tooltip title="This session was recorded; watching recordings needs the recording view permission">
          <Typography variant="caption" color="textSecondary">
            Recorded
          </Typography>
        </Tooltip>
      )}
    </Box>
  );
}
