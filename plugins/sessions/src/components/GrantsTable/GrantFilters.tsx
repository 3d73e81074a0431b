import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import SearchIcon from '@material-ui/icons/Search';

/** The search text and whose grants a grant list is narrowed to. */
export interface GrantFilterValues {
  searchText: string;
  /** Every grant the person may see, not only their own. */
  everyone: boolean;
}

/** Search box and the "everyone's grants" switch above a grant table. */
export function GrantFilters(props: {
  value: GrantFilterValues;
  searchPlaceholder: string;
  onChange: (value: GrantFilterValues) => void;
}) {
  const { value, searchPlaceholder, onChange } = props;
  return (
    <Box display="flex" flexWrap="wrap" alignItems="center" style={{ gap: 16 }}>
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
      <FormControlLabel
        control={
          <Checkbox
            color="primary"
            checked={value.everyone}
            onChange={event =>
              onChange({ ...value, everyone: event.target.checked })
            }
          />
        }
        label="Show everyone's grants I can see"
      />
    </Box>
  );
}
