import {
  RESOURCE_TYPES,
  ResourceType,
} from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import InputAdornment from '@material-ui/core/InputAdornment';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import { WhoseSelect } from '../WhoseSelect/WhoseSelect';
import SearchIcon from '@material-ui/icons/Search';
import { resourceTypeLabel } from './resourceTypeLabel';
import { isBackwards } from './endedRange';

/** The search text and resource type a session list is narrowed to. */
export interface SessionFilterValues {
  searchText: string;
  type?: ResourceType;
  /** Only sessions flagged for review at their start. */
  flagged?: boolean;
  /** Only sessions their person reported as not theirs. */
  reported?: boolean;
  /** Everyone's sessions the policy lets the caller read, not only theirs. */
  everyone?: boolean;
  /** History: ended on or after this day (`YYYY-MM-DD`, local). */
  endedFromDay?: string;
  /** History: ended on or before this day. */
  endedUntilDay?: string;
}

/**
 * Search box, resource type picker, "flagged only" and "reported only"
 * above a session table; for people who look after others, whose sessions to list.
 */
export function SessionFilters(props: {
  value: SessionFilterValues;
  onChange: (value: SessionFilterValues) => void;
  /** Offer "Everyone I may see" beside "Mine". */
  seesOthers?: boolean;
  /** Offer the days sessions ended between (History). */
  endedDays?: boolean;
}) {
  const { value, onChange, seesOthers, endedDays } = props;
  const backwards = isBackwards({
    from: value.endedFromDay,
    until: value.endedUntilDay,
  });
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
      {seesOthers && (
        <WhoseSelect
          id="sessions-whose"
          noun="sessions"
          everyone={Boolean(value.everyone)}
          onChange={everyone => onChange({ ...value, everyone })}
        />
      )}
      <TextField
        id="sessions-search"
        label="Search sessions"
        placeholder="Resource, device, IP or location"
        variant="outlined"
        size="small"
        value={value.searchText}
        onChange={event =>
          onChange({ ...value, searchText: event.target.value })
        }
        InputProps={{
          startAdornment: (
            <InputAdornment position="start">
              <SearchIcon fontSize="small" />
            </InputAdornment>
          ),
        }}
        style={{ minWidth: 320 }}
      />
      <TextField
        id="sessions-type"
        select
        label="Resource type"
        variant="outlined"
        size="small"
        value={value.type ?? ''}
        onChange={event =>
          onChange({
            ...value,
            type: (event.target.value || undefined) as ResourceType | undefined,
          })
        }
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        style={{ minWidth: 200 }}
      >
        <option value="">All types</option>
        {RESOURCE_TYPES.map(type => (
          <option key={type} value={type}>
            {resourceTypeLabel(type)}
          </option>
        ))}
      </TextField>
      <FormControlLabel
        control={
          <Switch
            checked={Boolean(value.flagged)}
            onChange={event =>
              onChange({ ...value, flagged: event.target.checked })
            }
          />
        }
        label="Flagged only"
      />
      <FormControlLabel
        control={
          <Switch
            checked={Boolean(value.reported)}
            onChange={event =>
              onChange({ ...value, reported: event.target.checked })
            }
          />
        }
        label="Reported only"
      />
      {endedDays && (
        <>
          <TextField
            id="sessions-ended-from"
            label="Ended from"
            type="date"
            variant="outlined"
            size="small"
            value={value.endedFromDay ?? ''}
            onChange={event =>
              onChange({
                ...value,
                endedFromDay: event.target.value || undefined,
              })
            }
            InputLabelProps={{ shrink: true }}
          />
          <TextField
            id="sessions-ended-until"
            label="Ended until"
            type="date"
            variant="outlined"
            size="small"
            value={value.endedUntilDay ?? ''}
            onChange={event =>
              onChange({
                ...value,
                endedUntilDay: event.target.value || undefined,
              })
            }
            error={backwards}
            helperText={backwards ? 'Before "Ended from"' : undefined}
            InputLabelProps={{ shrink: true }}
          />
        </>
      )}
    </Box>
  );
}
