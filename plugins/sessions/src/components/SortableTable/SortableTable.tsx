import { Table, TableProps } from '@backstage/core-components';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import { makeStyles } from '@material-ui/core/styles';
import {
  CSSProperties,
  ReactNode,
  createContext,
  useContext,
  useMemo,
} from 'react';
import {
  SortOrder,
  SortSpec,
  TableSort,
  firstOrder,
  isSortField,
  nextSort,
} from './tableSort';
import { RefreshingBar } from '../RefreshingBar';

interface HeaderSort {
  spec: SortSpec;
  /** Nothing: the rows are in the order they came in. */
  sort?: TableSort;
  onSort: (field: string) => void;
}

const HeaderSortContext = createContext<HeaderSort | undefined>(undefined);

/** Backstage's table header look (BackstageTableHeader), so themes apply. */
const useHeaderStyles = makeStyles(
  theme => ({
    header: {
      top: 0,
      zIndex: 10,
      backgroundColor: theme.palette.background.paper,
      padding: theme.spacing(1, 2, 1, 2.5),
      borderTop: `1px solid ${theme.palette.grey.A100}`,
      borderBottom: `1px solid ${theme.palette.grey.A100}`,
      fontWeight: theme.typography.fontWeightBold as number,
      position: 'static',
      wordBreak: 'normal',
      textTransform: 'uppercase',
    },
    // Read out with the header's name; the arrow says it to the eye.
    visuallyHidden: {
      border: 0,
      clip: 'rect(0 0 0 0)',
      height: 1,
      margin: -1,
      overflow: 'hidden',
      padding: 0,
      position: 'absolute',
      whiteSpace: 'nowrap',
      width: 1,
    },
  }),
  { name: 'BackstageTableHeader' },
);

/** The part of a column material-table hands its header. */
interface HeaderColumn {
  title?: ReactNode;
  field?: unknown;
  hidden?: boolean;
  align?: 'center' | 'inherit' | 'justify' | 'left' | 'right';
  type?: string;
  headerStyle?: CSSProperties;
  maxWidth?: CSSProperties['maxWidth'];
  minWidth?: CSSProperties['minWidth'];
  tableData: {
    id: number;
    columnOrder: number;
    width?: string;
    groupOrder?: number;
  };
}

/** The props material-table gives `components.Header` that this one reads. */
interface HeaderProps {
  columns: HeaderColumn[];
  headerStyle?: CSSProperties;
  options: { padding?: string };
}

/**
 * The header row of a {@link SortableTable}: a column whose `field` is one
 * of the table's sort fields has a sort button (a click, Enter or Space
 * sorts by it, again the other way round) and its `th` says how the table
 * is sorted (`aria-sort`); the other columns are plain text. Material-table's
 * own header sorts nothing without `options.sorting`, and never sets
 * `aria-sort`. Selection, row actions and detail panels are not used by
 * these tables, so this header has no cells for them.
 */
function SortableHeader(props: HeaderProps) {
  const classes = useHeaderStyles();
  const headerSort = useContext(HeaderSortContext);
  const size = props.options.padding === 'default' ? 'medium' : 'small';
  const columns = props.columns
    .filter(
      column =>
        !column.hidden &&
        !(
          column.tableData.groupOrder !== undefined &&
          column.tableData.groupOrder > -1
        ),
    )
    .sort((a, b) => a.tableData.columnOrder - b.tableData.columnOrder);
  return (
    <TableHead>
      <TableRow>
        {columns.map(column => {
          let content = column.title;
          let order: SortOrder | undefined;
          const { field } = column;
          if (headerSort && isSortField(headerSort.spec, field)) {
            const { spec, sort, onSort } = headerSort;
            order = sort?.field === field ? sort.order : undefined;
            content = (
              <TableSortLabel
                active={order !== undefined}
                // Inactive, the arrow shows on hover which way a click sorts.
                // MUI's own arrow points down for descending: Backstage's
                // SortArrow points up, which would read the wrong way.
                direction={order ?? firstOrder(spec, field)}
                onClick={() => onSort(field)}
              >
                {column.title}
                {order && (
                  // Its own words: "Resource, sorted descending".
                  <span className={classes.visuallyHidden}>
                    {`, sorted ${order === 'asc' ? 'ascending' : 'descending'}`}
                  </span>
                )}
              </TableSortLabel>
            );
          }
          const numeric =
            column.type === 'numeric' || column.type === 'currency';
          return (
            <TableCell
              key={column.tableData.id}
              align={column.align ?? (numeric ? 'right' : 'left')}
              className={classes.header}
              size={size}
              sortDirection={order ?? false}
              style={{
                ...props.headerStyle,
                ...column.headerStyle,
                boxSizing: 'border-box',
                width: column.tableData.width,
                maxWidth: column.maxWidth,
                minWidth: column.minWidth,
              }}
            >
              {content}
            </TableCell>
          );
        })}
      </TableRow>
    </TableHead>
  );
}

/** Module-level, so material-table sees the same header on every render. */
const SORTABLE_COMPONENTS = { Header: SortableHeader };

/**
 * Backstage's `Table` whose columns sort by what their `field` names, when
 * that is one of `spec.fields`: the table does not sort its rows itself
 * (keep `options.sorting` off), it shows `sort` and reports a header click
 * as the sort wanted next. Whoever holds the rows sorts them: the backend
 * for a paged list, the browser only for a list it holds whole. While
 * `isLoading` the rows stay and a named bar runs over them.
 */
export function SortableTable<T extends object, F extends string>(
  props: TableProps<T> & {
    spec: SortSpec<F>;
    sort?: TableSort<F>;
    onSortChange: (sort: TableSort<F>) => void;
  },
) {
  const { spec, sort, onSortChange, isLoading, ...tableProps } = props;
  const headerSort = useMemo<HeaderSort>(
    () => ({
      spec,
      sort,
      onSort: field => {
        if (isSortField(spec, field)) onSortChange(nextSort(spec, sort, field));
      },
    }),
    [spec, sort, onSortChange],
  );
  return (
    <HeaderSortContext.Provider value={headerSort}>
      <RefreshingBar active={!!isLoading}>
        <Table<T> {...tableProps} components={SORTABLE_COMPONENTS} />
      </RefreshingBar>
    </HeaderSortContext.Provider>
  );
}
