import type { Driver } from 'neo4j-driver';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { int, str, where, type Props } from './records.js';

export interface KeysetQuery {
  /** The MATCH clause (and any more a page needs before it is ordered). */
  match: string;
  /** The node or relationship variable whose `id` orders the page. */
  key: string;
  /** The page's own conditions besides the cursor; falsy ones are left out (see `where`). */
  conditions?: Array<string | false | undefined | null>;
  /** The map each row returns: it has the row's `id` (the cursor of a page ending there). */
  returns: string;
  params?: Record<string, unknown>;
}

/**
 * One keyset page: older than the cursor, newest first by `<key>.id` (a UUIDv7, so by time),
 * `limit + 1` rows so the page knows whether another follows. A predicate on that id is always
 * there and the rows are ordered before they are projected, so the range index yields them in
 * order and the scan stops after a page (see `where`).
 */
export async function keysetPage<T>(driver: Driver, q: KeysetQuery, request: PageRequest, toEntity: (props: Props) => T): Promise<Page<T>> {
  const rows = await orderedRows(driver, q, 'DESC', request.before, request.limit + 1);
  const page = toPage(rows, request.limit, (row) => str(row, 'id'));
  return { items: page.items.map(toEntity), next: page.next };
}

/**
 * Up to `limit` rows whose `<key>.id` is greater than `after` (from the first when null),
 * oldest first: how a transfer reads a whole module, page by page, on the same index.
 */
export function rowsAfter(driver: Driver, q: KeysetQuery, after: string | null, limit: number): Promise<Props[]> {
  return orderedRows(driver, q, 'ASC', after, limit);
}

/** The rows of `q` past `bound` (below it newest first, or above it oldest first), each `returns` map. */
async function orderedRows(driver: Driver, q: KeysetQuery, order: 'ASC' | 'DESC', bound: string | null | undefined, limit: number): Promise<Props[]> {
  const id = `${q.key}.id`;
  const past = bound ? `${id} ${order === 'ASC' ? '>' : '<'} $bound` : `${id} IS NOT NULL`;
  const { records } = await driver.executeQuery(
    `${q.match} ${where(...(q.conditions ?? []), past)}
     WITH * ORDER BY ${id} ${order} LIMIT $limit RETURN ${q.returns} AS row`,
    { ...q.params, bound: bound ?? null, limit: int(limit) },
    { routing: 'READ' },
  );
  return records.map((r) => r.get('row') as Props);
}
