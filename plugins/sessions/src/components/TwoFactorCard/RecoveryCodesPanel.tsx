import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';

/**
 * The recovery codes, shown once right after enrolment, with ways to keep
 * them: copy to the clipboard or download as a text file.
 */
export function RecoveryCodesPanel(props: {
  codes: string[];
  onDone: () => void;
}) {
  const { codes, onDone } = props;
  const [copied, setCopied] = useState(false);
  const text = `${codes.join('\n')}\n`;
  const download = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    link.download = 'active-sessions-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <Box>
      <Alert severity="warning">
        Save these recovery codes now: they are shown only once. Each one works
        once, instead of a code from your app.
      </Alert>
      <Box
        component="ul"
        aria-label="Recovery codes"
        my={2}
        style={{ columns: 2, fontFamily: 'monospace', listStyle: 'none' }}
        pl={0}
      >
        {codes.map(code => (
          <li key={code}>
            <Typography variant="body1" component="span">
              {code}
            </Typography>
          </li>
        ))}
      </Box>
      <Box display="flex" style={{ gap: 8 }}>
        <Button
          variant="outlined"
          onClick={async () => {
            await navigator.clipboard?.writeText(text);
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button variant="outlined" onClick={download}>
          Download
        </Button>
        <Button variant="contained" color="primary" onClick={onDone}>
          I have saved them
        </Button>
      </Box>
    </Box>
  );
}
