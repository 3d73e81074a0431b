import { useCallback, useMemo, useState } from 'react';

/** Which rows of a list are ticked, and ways to tick them. */
export interface SelectionState {
  /** The ticked ids among those on screen, in list order. */
  selectedIds: string[];
  isSelected: (id: string) => boolean;
  toggle: (id: string) => void;
  /** Ticks every row on screen, or clears them all if all were ticked. */
  toggleAll: () => void;
  allSelected: boolean;
  someSelected: boolean;
  clear: () => void;
}

/**
 * Row selection for a list whose rows come and go. Only rows on screen count
 * as selected, so a bulk action never touches a row the person cannot see,
 * such as one that left the list on reload.
 */
export function useSelection(visibleIds: string[]): SelectionState {
  const [ticked, setTicked] = useState<ReadonlySet<string>>(() => new Set());

  const selectedIds = useMemo(
    () => visibleIds.filter(id => ticked.has(id)),
    [visibleIds, ticked],
  );
  const allSelected =
    visibleIds.length > 0 && selectedIds.length === visibleIds.length;

  const toggle = useCallback((id: string) => {
    setTicked(previous => {
      const next = new Set(previous);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });
  }, []);
  const toggleAll = useCallback(() => {
    setTicked(allSelected ? new Set() : new Set(visibleIds));
  }, [allSelected, visibleIds]);
  const clear = useCallback(() => setTicked(new Set()), []);
  const isSelected = useCallback((id: string) => ticked.has(id), [ticked]);

  // One object per change, so tables can memoize on it.
  return useMemo(
    () => ({
      selectedIds,
      isSelected,
      toggle,
      toggleAll,
      allSelected,
      someSelected: selectedIds.length > 0,
      clear,
    }),
    [selectedIds, isSelected, toggle, toggleAll, allSelected, clear],
  );
}
