import { GrantStatus } from '@internal/plugin-sessions-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import BlockIcon from '@material-ui/icons/Block';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';

const useStyles = makeStyles(theme => ({
  active: {
    color: theme.palette.status.ok,
    borderColor: theme.palette.status.ok,
    '& svg': { color: theme.palette.status.ok },
  },
  expired: {
    color: theme.palette.text.secondary,
    borderColor: theme.palette.divider,
    '& svg': { color: theme.palette.text.secondary },
  },
  revoked: {
    color: theme.palette.status.error,
    borderColor: theme.palette.status.error,
    '& svg': { color: theme.palette.status.error },
  },
}));

/**
 * A grant's status as a badge: active (green check), expired (grey) or
 * revoked (red).
 */
export function GrantStatusChip(props: { status: GrantStatus }) {
  const classes = useStyles();
  switch (props.status) {
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
    case 'revoked':
      return (
        <Chip
          size="small"
          variant="outlined"
          className={classes.revoked}
          icon={<BlockIcon />}
          label="Revoked"
        />
      );
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
