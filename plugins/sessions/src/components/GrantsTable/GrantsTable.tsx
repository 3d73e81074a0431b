import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  AccessGrant,
  GrantRevokeResult,
  GrantSortField,
  ListGrantsRequest,
} from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { useCurrentUserRef } from '../../hooks/useCurrentUserRef';
import { useGrantList } from '../../hooks/useGrantList';
import { useNow } from '../../hooks/useNow';
import { useSelection } from '../../hooks/useSelection';
import { GiveBackGrantDialog } from '../GiveBackGrantDialog/GiveBackGrantDialog';
import { RevokeGrantDialog } from '../RevokeGrantDialog/RevokeGrantDialog';
import { RevokeGrantsDialog } from '../RevokeGrantsDialog/RevokeGrantsDialog';
import { errorMessage } from '../errorMessage';
import { LoadMoreFooter } from '../LoadMoreFooter/LoadMoreFooter';
import { GrantActionsMenu } from './GrantActionsMenu';
import { GrantFilterValues, GrantFilters } from './GrantFilters';
import { GrantTableContext, GrantTableState } from './GrantTableContext';
import { RevokeOutcome, RevokeOutcomesPanel } from './RevokeOutcomesPanel';
import { grantColumns } from './grantColumns';
import { GrantListView } from './grantListViews';
import { PLAIN_TABLE_OPTIONS } from '../tableOptions';
import { SortableTable } from '../SortableTable/SortableTable';
import { SortSpec } from '../SortableTable/tableSort';
import { useSortInAddress } from '../SortableTable/useSortInAddress';

/** How long typing pauses before the search goes to the backend. */
const SEARCH_DEBOUNCE_MS = 300;
const PAGE_SIZE = 25;
/** Remaining times are shown in minutes, so a minute is fine enough. */
const CLOCK_TICK_MS = 60_000;

/**
 * The backend's grant sorts, as the target, Start and Remaining columns.
 * Soonest to expire first by default: those are the ones to act on.
 */
const GRANT_SORT: SortSpec<GrantSortField> = {
  fields: { target: 'asc', startsAt: 'desc', expiresAt: 'asc' },
  default: { field: 'expiresAt', order: 'asc' },
};

/**
 * A searchable, keyset-paged table of the active grants of one kind, sorted
 * by the backend by the target, Start or Remaining column (kept in the
 * address), with per-row Revoke and Give back, and row selection for
 * revoking many at once.
 */
export function GrantsTable(props: {
  view: GrantListView;
  /** Changes whenever the page asks every list to load again. */
  reloadKey: number;
  /** Called after this table ended grants, so the page can refresh. */
  onSessionsChanged: () => void;
  /** The policy lets the caller read others' grants: offer them too. */
  seesOthers?: boolean;
}) {
  const { view, reloadKey, onSessionsChanged, seesOthers } = props;
  const [filters, setFilters] = useState<GrantFilterValues>({
    searchText: '',
    everyone: false,
  });
  // The backend sorts, so Load more goes on in the same order.
  const [sort, setSort] = useSortInAddress(GRANT_SORT);
  const [searchQuery, setSearchQuery] = useState('');
  useDebounce(
    () => setSearchQuery(filters.searchText.trim()),
    SEARCH_DEBOUNCE_MS,
    [filters.searchText],
  );

  const request = useMemo<ListGrantsRequest>(
    () => ({
      kind: [view.kind],
      // Revoking ones stay until their connector confirms the removal.
      status: ['active', 'revoking'],
      sort: sort.field,
      order: sort.order,
      q: searchQuery || undefined,
      all: filters.everyone || undefined,
      limit: PAGE_SIZE,
    }),
    [view.kind, sort, searchQuery, filters.everyone],
  );
  const list = useGrantList(request, reloadKey);
  const now = useNow(CLOCK_TICK_MS);
  const currentUserRef = useCurrentUserRef();

  const visibleIds = useMemo(
    () =>
      list.grants
        .filter(grant => grant.status === 'active')
        .map(grant => grant.id),
    [list.grants],
  );
  const selection = useSelection(visibleIds);

  const [grantToRevoke, setGrantToRevoke] = useState<AccessGrant>();
  const [grantToGiveBack, setGrantToGiveBack] = useState<AccessGrant>();
  const [grantsToRevoke, setGrantsToRevoke] = useState<AccessGrant[]>();
  const [outcomes, setOutcomes] = useState<RevokeOutcome[]>();

  const columns = useMemo(() => grantColumns(view), [view]);
  const tableState = useMemo<GrantTableState>(
    () => ({
      now,
      currentUserRef,
      selection,
      rowCount: visibleIds.length,
      onRevoke: setGrantToRevoke,
      onGiveBack: setGrantToGiveBack,
    }),
    [now, currentUserRef, selection, visibleIds.length],
  );
  // material-table writes bookkeeping into the row objects; give it copies.
  const rows = useMemo(
    () => list.grants.map(grant => ({ ...grant })),
    [list.grants],
  );

  const openBulkRevoke = () => {
    const selected = new Set(selection.selectedIds);
    setGrantsToRevoke(list.grants.filter(grant => selected.has(grant.id)));
  };

  const showOutcomes = (result: GrantRevokeResult) => {
    // Name each grant as it was listed: the revoked ones leave the list now.
    const asked = new Map(grantsToRevoke?.map(grant => [grant.id, grant]));
    setOutcomes(
      result.results.map(({ id, outcome }) => ({
        id,
        outcome,
        grant: asked.get(id),
      })),
    );
    setGrantsToRevoke(undefined);
    selection.clear();
    onSessionsChanged();
  };

  const afterSingleChange = (changed: AccessGrant) => {
    setGrantToRevoke(undefined);
    setGrantToGiveBack(undefined);
    // Shown revoking at once, so the row stays until the revocation is
    // confirmed even when the connector acknowledges before the reload.
    list.replaceItems([changed]);
    onSessionsChanged();
  };

  const filtered = Boolean(request.q);
  // The table remounts its rows (and loses the focus in them) whenever the
  // empty content changes identity, so it is built only when its text does.
  const emptyContent = useMemo(
    () =>
      filtered ? (
        <EmptyState
          missing="data"
          title="No grants match"
          description="Try another search."
        />
      ) : (
        <EmptyState
          missing="data"
          title={view.emptyTitle}
          description={view.emptyDescription}
        />
      ),
    [filtered, view],
  );

  let body;
  if (list.error) {
    body = (
      <ResponseErrorPanel
        title={`Could not load grants: ${errorMessage(list.error)}`}
        error={list.error}
      />
    );
  } else if (!list.loaded) {
    body = <Progress />;
  } else {
    body = (
      <SortableTable<AccessGrant, GrantSortField>
        columns={columns}
        data={rows}
        isLoading={list.loading}
        options={PLAIN_TABLE_OPTIONS}
        emptyContent={emptyContent}
        spec={GRANT_SORT}
        sort={sort}
        onSortChange={setSort}
      />
    );
  }

  return (
    <GrantTableContext.Provider value={tableState}>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        justifyContent="space-between"
        style={{ gap: 16 }}
        mb={2}
      >
        <GrantFilters
          value={filters}
          searchPlaceholder={view.searchPlaceholder}
          onChange={setFilters}
          seesOthers={seesOthers}
        />
        <Box display="flex" alignItems="center" style={{ gap: 16 }}>
          <Typography variant="body2" color="textSecondary" aria-live="polite">
            {selection.selectedIds.length} selected
          </Typography>
          <GrantActionsMenu
            selectedCount={selection.selectedIds.length}
            onRevokeSelected={openBulkRevoke}
          />
        </Box>
      </Box>
      {outcomes && (
        <RevokeOutcomesPanel
          outcomes={outcomes}
          onDismiss={() => setOutcomes(undefined)}
        />
      )}
      {body}
      <LoadMoreFooter noun="grants" list={list} />
      <RevokeGrantDialog
        grant={grantToRevoke}
        onClose={() => setGrantToRevoke(undefined)}
        onRevoked={afterSingleChange}
      />
      <GiveBackGrantDialog
        grant={grantToGiveBack}
        onClose={() => setGrantToGiveBack(undefined)}
        onGivenBack={afterSingleChange}
      />
      <RevokeGrantsDialog
        grants={grantsToRevoke}
        onClose={() => setGrantsToRevoke(undefined)}
        onRevoked={showOutcomes}
      />
    </GrantTableContext.Provider>
  );
}
