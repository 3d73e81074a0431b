import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { errorMessage } from '../errorMessage';

/**
 * Below a keyset-paged table: the error of the last "Load more", and the
 * button while there is a next page.
 */
export function LoadMoreFooter(props: {
  /** What the rows are, for the error text: "sessions", "grants". */
  noun: string;
  list: {
    hasMore: boolean;
    error?: Error;
    loadMoreError?: Error;
    loadingMore: boolean;
    loadMore: () => void;
  };
}) {
  const { noun, list } = props;
  return (
    <>
      {list.loadMoreError && (
        <Alert severity="error" style={{ marginTop: 16 }}>
          Could not load more {noun}: {errorMessage(list.loadMoreError)}
        </Alert>
      )}
      {list.hasMore && !list.error && (
        <Box display="flex" justifyContent="center" mt={2}>
          <Button
            variant="outlined"
            onClick={list.loadMore}
            disabled={list.loadingMore}
          >
            {list.loadingMore ? 'Loading…' : 'Load more'}
          </Button>
        </Box>
      )}
    </>
  );
}
