import { CutProgress, cutState } from '@internal/plugin-sessions-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import ErrorIcon from '@material-ui/icons/Error';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import WarningIcon from '@material-ui/icons/Warning';
import { DateTime } from 'luxon';
import { useNow } from '../../hooks/useNow';
import { StackedText } from '../SessionsTable/StackedText';

const useStyles = makeStyles(theme => ({
  waiting: {
    color: theme.palette.status.running,
    borderColor: theme.palette.status.running,
    '& svg': { color: theme.palette.status.running },
  },
  alarm: {
    color: theme.palette.status.error,
    borderColor: theme.palette.status.error,
    '& svg': { color: theme.palette.status.error },
  },
  done: {
    color: theme.palette.text.secondary,
    borderColor: theme.palette.divider,
    '& svg': { color: theme.palette.text.secondary },
  },
}));

/** Deadlines are shown to the second, so the flag turns on time. */
const DEADLINE_TICK_MS = 1000;

const timeOfDay = (iso: string) =>
  DateTime.fromISO(iso).toLocaleString(DateTime.TIME_WITH_SECONDS);

export interface CutStatusLabels {
  /** While the connector has not answered, e.g. "Terminating". */
  pending: string;
  /** Once cut, e.g. "Disconnected". */
  done: string;
}

/**
 * How far the cut of a session or grant has come: waiting for its
 * connector, flagged once past the deadline or when the connector reports a
 * failure, and final with the time the source confirmed it. Never shows a
 * cut as done without the source's confirmation.
 */
export function CutStatusChip(props: {
  item: CutProgress & { source: string };
  labels: CutStatusLabels;
}) {
  const { item, labels } = props;
  if (item.status === 'terminating' || item.status === 'revoking') {
    return <PendingCut item={item} labels={labels} />;
  }
  return <DoneCut item={item} labels={labels} />;
}

function PendingCut(props: {
  item: CutProgress & { source: string };
  labels: CutStatusLabels;
}) {
  const classes = useStyles();
  const now = useNow(DEADLINE_TICK_MS);
  const { item, labels } = props;
  const state = cutState(item, now);
  if (state === 'failed') {
    return (
      <StackedText
        primary={
          <Chip
            size="small"
            variant="outlined"
            className={classes.alarm}
            icon={<ErrorIcon />}
            label="Cut failed"
          />
        }
        secondary={`${item.source}: ${item.cutFailure}`}
      />
    );
  }
  if (state === 'unconfirmed') {
    return (
      <StackedText
        primary={
          <Chip
            size="small"
            variant="outlined"
            className={classes.alarm}
            icon={<WarningIcon />}
            label="Not confirmed"
          />
        }
        secondary={`${item.source} has not confirmed the cut`}
      />
    );
  }
  return (
    <StackedText
      primary={
        <Chip
          size="small"
          variant="outlined"
          className={classes.waiting}
          icon={<HourglassEmptyIcon />}
          label={`${labels.pending}…`}
        />
      }
      secondary={`Waiting for ${item.source}`}
    />
  );
}

function DoneCut(props: { item: CutProgress; labels: CutStatusLabels }) {
  const classes = useStyles();
  const { item, labels } = props;
  return (
    <StackedText
      primary={
        <Chip
          size="small"
          variant="outlined"
          className={classes.done}
          icon={<RemoveCircleOutlineIcon />}
          label={labels.done}
        />
      }
      secondary={
        item.cutConfirmedAt
          ? `Cut confirmed ${timeOfDay(item.cutConfirmedAt)}`
          : undefined
      }
    />
  );
}
