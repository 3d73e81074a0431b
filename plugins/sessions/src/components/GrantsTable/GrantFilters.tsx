import Box from '@material-ui/core/Box';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import { WhoseSelect } from '../WhoseSelect/WhoseSelect';
import SearchIcon from '@material-ui/icons/Search';

/** The search text and whose grants a grant list is narrowed to. */
export interface GrantFilterValues {
  searchText: string;
  /** Every grant the person may see, not only their own. */
  everyone: boolean;
}

/**
 * Search box above a grant table; for people who look after others, whose
 * grants to list, as on the session tabs.
 */
export function GrantFilters(props: {
  value: GrantFilterValues;
  searchPlaceholder: string;
  onChange: (value: GrantFilterValues) => void;
  /** Offer "Everyone I may see" beside "Mine". */
  seesOthers?: boolean;
}) {
  const { value, searchPlaceholder, onChange, seesOthers } = props;
  return (
    <Box display="flex" flexWrap="wrap" alignItems="center" style={{ gap: 16 }}>
      {seesOthers && (
        <WhoseSelect
          id="grants-whose"
          noun="grants"
          everyone={Boolean(value.everyone)}
          onChange={everyone => onChange({ ...value, everyone })}
        />
      )}
      <TextField
        id="grants-search"
        label="Search grants"
        placeholder={searchPlaceholder}
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
    </Box>
  );
}
