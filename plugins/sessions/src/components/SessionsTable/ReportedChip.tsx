import { Session } from '@active-sessions/plugin-sessions-common';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import ReportProblemIcon from '@material-ui/icons/ReportProblem';
import { formatInstant } from './formatInstant';

/**
 * Beside the status of a session its person reported as not theirs: when,
 * and their note on hover.
 */
export function ReportedChip(props: { session: Session }) {
  const { reportedAt, reportNote } = props.session;
  if (!reportedAt) return null;
  return (
    <Tooltip
      title={`Reported ${formatInstant(reportedAt)}: ${reportNote ?? ''}`}
    >
      <Chip
        size="small"
        icon={<ReportProblemIcon />}
        label="Reported"
        style={{ backgroundColor: '#fdecea', color: '#611a15' }}
      />
    </Tooltip>
  );
}
