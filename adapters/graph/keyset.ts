import type { Driver } from 'neo4j-driver';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { int, where, type Props } from './records.js';

export interface KeysetQuery {
  /** The MATCH clause (and any more a page needs before it is ordered). */
  match: string;
  /** The node or relationship variable whose `id` orders the page. */
  key: string;
  /** The page's own conditions besides the cursor; falsy ones are left out (see `where`). */
  conditions?: Array<string | false | undefined | null>;
  /** The map each row returns. */
  returns: string;
  params?: Record<string, unknown>;
}

/**
 * One keyset page: older than the cursor, newest first by `<key>.id` (a UUIDv7, so by time),
 * `limit + 1` rows so the page knows whether another follows. A predicate on that id is always
 * there and the rows are ordered before they are projected, so the range index yields them in
 * order and the scan stops after a page (see `where`).
 */
export async function keysetPage<T extends { id: string }>(
  driver: Driver,
  q: KeysetQuery,
  request: PageRequest,
  toEntity: (props: Props) => T,
): Promise<Page<T>> {
  const id = `${q.key}.id`;
  const { records } = await driver.executeQuery(
    `${q.match} ${where(...(q.conditions ?? []), request.before ? `${id} < $before` : `${id} IS NOT NULL`)}
     WITH * ORDER BY ${id} DESC LIMIT $limit RETURN ${q.returns} AS row`,
    { ...q.params, before: request.before ?? null, limit: int(request.limit + 1) },
    { routing: 'READ' },
  );
  return toPage(records.map((r) => toEntity(r.get('row') as Props)), request.limit, (item) => item.id);
}
