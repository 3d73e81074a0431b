import { WarningPanel } from '@backstage/core-components';
import {
  GrantStats,
  SessionStats,
  formatDuration,
} from '@active-sessions/plugin-sessions-common';
import Grid from '@material-ui/core/Grid';
import { errorMessage } from '../errorMessage';
import { StatCard } from './StatCard';

/** Shown instead of a number while the counters have not arrived. */
const PENDING = '…';

function totalDurationText(stats?: SessionStats): string {
  if (!stats) {
    return PENDING;
  }
  // Nothing open has no duration; "<1m" would suggest something is open.
  return stats.active + stats.idle > 0
    ? formatDuration(stats.totalOpenDurationMs)
    : '—';
}

/** What a person's grants in force are, and what is being revoked. */
function grantsDescription(grantStats?: GrantStats, error?: Error): string {
  if (!grantStats) {
    return error
      ? `Could not load: ${errorMessage(error)}`
      : 'Device Admin and Timed Access';
  }
  const parts = [
    `Device Admin ${grantStats.deviceAdmin}`,
    `Timed Access ${grantStats.timedAccess}`,
  ];
  if (grantStats.revoking) parts.push(`${grantStats.revoking} being revoked`);
  return parts.join(' · ');
}

/**
 * The counters above the tabs, of what the person holds: active and idle
 * sessions (and those being cut), elevated grants in force (and those being
 * revoked), and how long the open sessions have been open in total.
 */
export function SessionStatsRow(props: {
  stats?: SessionStats;
  error?: Error;
  grantStats?: GrantStats;
  grantError?: Error;
}) {
  const { stats, error, grantStats, grantError } = props;
  if (error && !stats) {
    return (
      <WarningPanel
        severity="error"
        title="Could not load your session counts"
        message={errorMessage(error)}
      />
    );
  }
  const cards = [
    {
      label: 'Active sessions',
      value: stats ? String(stats.active) : PENDING,
      // Ended but not yet cut at their source: still live until confirmed.
      description: stats?.terminating
        ? `Open and in use · ${stats.terminating} being cut`
        : 'Open and in use',
    },
    {
      label: 'Idle sessions',
      value: stats ? String(stats.idle) : PENDING,
      description: 'Open without recent activity',
    },
    {
      label: 'Active grants',
      value: grantStats
        ? String(grantStats.deviceAdmin + grantStats.timedAccess)
        : (grantError && '—') || PENDING,
      description: grantsDescription(grantStats, grantError),
    },
    {
      label: 'Total duration',
      value: totalDurationText(stats),
      description: 'Summed over all open sessions',
    },
  ];
  return (
    <Grid container spacing={3}>
      {cards.map(card => (
        <Grid item xs={12} sm={6} md={3} key={card.label}>
          <StatCard {...card} />
        </Grid>
      ))}
    </Grid>
  );
}
