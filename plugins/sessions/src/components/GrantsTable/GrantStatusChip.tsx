import { AccessGrant } from '@active-sessions/plugin-sessions-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { statusTextColor } from '../statusTextColor';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import { CutStatusChip } from '../CutStatusChip/CutStatusChip';

const CUT_LABELS = { pending: 'Revoking', done: 'Revoked' };

const useStyles = makeStyles(theme => ({
  active: {
    color: statusTextColor(theme, theme.palette.status.ok),
    borderColor: theme.palette.status.ok,
    '& svg': { color: theme.palette.status.ok },
  },
  expired: {
    color: theme.palette.text.secondary,
    borderColor: theme.palette.divider,
    '& svg': { color: theme.palette.text.secondary },
  },
}));

/**
 * A grant's status as a badge: active (green check), expired (grey), or
 * revoking until its connector confirms, then revoked.
 */
export function GrantStatusChip(props: { grant: AccessGrant }) {
  const classes = useStyles();
  switch (props.grant.status) {
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
    case 'revoking':
    case 'revoked':
      return <CutStatusChip item={props.grant} labels={CUT_LABELS} />;
    default:
      return (
        <Chip
          size="small"
          variant="outlined"
          className={classes.expired}
          icon={<RemoveCircleOutlineIcon />}
          label="Expired"
        />
      );
  }
}
