import TextField from '@material-ui/core/TextField';

/**
 * "Mine" or "Everyone I may see": whose sessions or grants a list shows, for
 * people who look after others (the backend's `all=true`).
 */
export function WhoseSelect(props: {
  id: string;
  /** What is listed, such as "sessions": the label reads "Whose sessions". */
  noun: string;
  everyone: boolean;
  onChange: (everyone: boolean) => void;
}) {
  return (
    <TextField
      id={props.id}
      select
      label={`Whose ${props.noun}`}
      variant="outlined"
      size="small"
      value={props.everyone ? 'everyone' : 'mine'}
      onChange={event => props.onChange(event.target.value === 'everyone')}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      style={{ minWidth: 200 }}
    >
      <option value="mine">Mine</option>
      <option value="everyone">Everyone I may see</option>
    </TextField>
  );
}
