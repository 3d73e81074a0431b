/**
 * Options for the page's small tables: no toolbar, paging, search, sorting
 * or dragging (the lists are short or paged by the backend), dense rows.
 */
export const PLAIN_TABLE_OPTIONS = {
  toolbar: false,
  paging: false,
  search: false,
  sorting: false,
  draggable: false,
  padding: 'dense',
} as const;
