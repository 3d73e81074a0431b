import TextField from '@material-ui/core/TextField';
import { useId } from 'react';
import {
  DurationBounds,
  formatDuration,
} from '@active-sessions/plugin-sessions-common';

const MINUTE = 60_000;

/** Whole minutes typed into a field, or undefined when it holds none. */
export function parseMinutes(text: string): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  return Number(text) * MINUTE;
}

/** What is wrong with a value against its range, in words; none: fine. */
export function outOfBounds(
  ms: number | undefined,
  bounds: DurationBounds,
): string | undefined {
  if (ms === undefined) return 'Enter whole minutes';
  if (ms < bounds.minMs || ms > bounds.maxMs) {
    return `Between ${formatDuration(bounds.minMs)} and ${formatDuration(bounds.maxMs)}`;
  }
  return undefined;
}

/** A duration in minutes, with the range it must be in under it. */
export function MinutesField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  bounds: DurationBounds;
  /** Shown instead of the range when the value is wrong. */
  error?: string;
  disabled?: boolean;
}) {
  const { label, value, onChange, bounds, error, disabled } = props;
  // Ties the label and the helper text to the input for screen readers.
  const id = useId();
  return (
    <TextField
      id={id}
      label={label}
      value={value}
      onChange={event => onChange(event.target.value)}
      type="number"
      inputProps={{
        min: Math.ceil(bounds.minMs / MINUTE),
        max: Math.floor(bounds.maxMs / MINUTE),
      }}
      variant="outlined"
      size="small"
      disabled={disabled}
      error={Boolean(error)}
      helperText={
        error ??
        `Between ${formatDuration(bounds.minMs)} and ${formatDuration(bounds.maxMs)}`
      }
      style={{ minWidth: 220 }}
    />
  );
}
