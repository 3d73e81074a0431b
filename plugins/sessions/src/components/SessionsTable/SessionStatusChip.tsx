import { Session } from '@active-sessions/plugin-sessions-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { statusTextColor } from '../statusTextColor';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ScheduleIcon from '@material-ui/icons/Schedule';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import { CutStatusChip } from '../CutStatusChip/CutStatusChip';

const CUT_LABELS = { pending: 'Terminating', done: 'Disconnected' };

const useStyles = makeStyles(theme => ({
  active: {
    color: statusTextColor(theme, theme.palette.status.ok),
    borderColor: theme.palette.status.ok,
    '& svg': { color: theme.palette.status.ok },
  },
  idle: {
    color: statusTextColor(theme, theme.palette.status.warning),
    borderColor: theme.palette.status.warning,
    '& svg': { color: theme.palette.status.warning },
  },
}));

/**
 * The session's status as a badge: active (green check), idle (amber clock,
 * "warned" once the idle warning went out), terminating until its connector
 * confirms the cut, or disconnected (grey). A portal sign-in waiting for
 * its person's authenticator code says so until it gets it.
 */
export function SessionStatusChip(props: { session: Session }) {
  const classes = useStyles();
  const { status, idleWarnedAt, codeDueAt } = props.session;
  if (codeDueAt && (status === 'active' || status === 'idle')) {
    return (
      <Chip
        size="small"
        variant="outlined"
        className={classes.idle}
        icon={<VpnKeyIcon />}
        label="Waiting for code"
      />
    );
  }
  switch (status) {
    case 'active':
      return (
        <Chip
          size="small"
          variant="outlined"
          className={classes.active}
          icon={<CheckCircleIcon />}
          label="Active"
        />
      );
    case 'idle':
      return (
        <Chip
          size="small"
          variant="outlined"
          className={classes.idle}
          icon={<ScheduleIcon />}
          label={idleWarnedAt ? 'Idle · warned' : 'Idle'}
        />
      );
    default:
      return <CutStatusChip item={props.session} labels={CUT_LABELS} />;
  }
}
