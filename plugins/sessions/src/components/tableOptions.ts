/**
 * Options for the page's tables: no toolbar, paging, search or dragging
 * (the lists are short or paged by the backend), dense rows. Material-table
 * never sorts them itself: a sortable one is a SortableTable, sorted by the
 * backend, or by the browser only when it holds the whole list.
 */
export const PLAIN_TABLE_OPTIONS = {
  toolbar: false,
  paging: false,
  search: false,
  sorting: false,
  draggable: false,
  padding: 'dense',
} as const;
