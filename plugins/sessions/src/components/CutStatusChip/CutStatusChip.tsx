import { CutProgress, cutState } from '@active-sessions/plugin-sessions-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { statusTextColor } from '../statusTextColor';
import ErrorIcon from '@material-ui/icons/Error';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import WarningIcon from '@material-ui/icons/Warning';
import { DateTime } from 'luxon';
import { ReactElement } from 'react';
import { useNow } from '../../hooks/useNow';
import { StackedText } from '../SessionsTable/StackedText';

const useStyles = makeStyles(theme => ({
  waiting: {
    color: statusTextColor(theme, theme.palette.status.running),
    borderColor: theme.palette.status.running,
    '& svg': { color: theme.palette.status.running },
  },
  alarm: {
    color: statusTextColor(theme, theme.palette.status.error),
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

/** One status badge with the line beneath it. */
function CutBadge(props: {
  tone: 'waiting' | 'alarm' | 'done';
  icon: ReactElement;
  label: string;
  detail?: string;
}) {
  const classes = useStyles();
  return (
    <StackedText
      primary={
        <Chip
          size="small"
          variant="outlined"
          className={classes[props.tone]}
          icon={props.icon}
          label={props.label}
        />
      }
      secondary={props.detail}
    />
  );
}

function PendingCut(props: {
  item: CutProgress & { source: string };
  labels: CutStatusLabels;
}) {
  const now = useNow(DEADLINE_TICK_MS);
  const { item, labels } = props;
  switch (cutState(item, now)) {
    case 'failed':
      return (
        <CutBadge
          tone="alarm"
          icon={<ErrorIcon />}
          label="Cut failed"
          detail={`${item.source}: ${item.cutFailure}`}
        />
      );
    case 'unconfirmed':
      return (
        <CutBadge
          tone="alarm"
          icon={<WarningIcon />}
          label="Not confirmed"
          detail={`${item.source} has not confirmed the cut`}
        />
      );
    default:
      return (
        <CutBadge
          tone="waiting"
          icon={<HourglassEmptyIcon />}
          label={`${labels.pending}…`}
          detail={`Waiting for ${item.source}`}
        />
      );
  }
}

function DoneCut(props: { item: CutProgress; labels: CutStatusLabels }) {
  const { item, labels } = props;
  return (
    <CutBadge
      tone="done"
      icon={<RemoveCircleOutlineIcon />}
      label={labels.done}
      detail={
        item.cutConfirmedAt
          ? `Cut confirmed ${timeOfDay(item.cutConfirmedAt)}`
          : undefined
      }
    />
  );
}
