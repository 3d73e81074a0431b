import { ConnectorStatus } from '@active-sessions/plugin-sessions-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { statusTextColor } from '../statusTextColor';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CloudOffIcon from '@material-ui/icons/CloudOff';

const useStyles = makeStyles(theme => ({
  online: {
    color: statusTextColor(theme, theme.palette.status.ok),
    borderColor: theme.palette.status.ok,
    '& svg': { color: theme.palette.status.ok },
  },
  offline: {
    color: statusTextColor(theme, theme.palette.status.error),
    borderColor: theme.palette.status.error,
    '& svg': { color: theme.palette.status.error },
  },
}));

/** Online while the connector keeps reading its orders; offline otherwise. */
export function ConnectorStatusChip(props: { connector: ConnectorStatus }) {
  const classes = useStyles();
  const { online, lastPollAt } = props.connector;
  if (online) {
    return (
      <Chip
        size="small"
        variant="outlined"
        className={classes.online}
        icon={<CheckCircleIcon />}
        label="Online"
      />
    );
  }
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes.offline}
      icon={<CloudOffIcon />}
      label={lastPollAt ? 'Offline' : 'Never connected'}
    />
  );
}
