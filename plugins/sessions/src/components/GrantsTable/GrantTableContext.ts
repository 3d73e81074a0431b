import { AccessGrant } from '@active-sessions/plugin-sessions-common';
import { createContext, useContext } from 'react';
import { SelectionState } from '../../hooks/useSelection';

/**
 * What the cells of a grant table share and what changes while it is open:
 * the ticking clock, who is signed in, the selection. Passed by context
 * rather than baked into the columns, so that a tick or a ticked box
 * re-renders the cells that show it and the table keeps its rows (and the
 * keyboard focus in them).
 */
export interface GrantTableState {
  /** The moment the Remaining column counts down from. */
  now: number;
  /** The signed-in person, lower case; their own grants can be given back. */
  currentUserRef?: string;
  selection: SelectionState;
  rowCount: number;
  onRevoke: (grant: AccessGrant) => void;
  onGiveBack: (grant: AccessGrant) => void;
}

export const GrantTableContext = createContext<GrantTableState | undefined>(
  undefined,
);

export function useGrantTable(): GrantTableState {
  const state = useContext(GrantTableContext);
  if (!state) {
    throw new Error('Grant table cells must be rendered inside a GrantsTable');
  }
  return state;
}
