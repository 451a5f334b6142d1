import type { Collection, Document, Filter, FindOptions, WithId } from 'mongodb';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';

/** `filter` and older than the cursor `before`, if any; a bound `filter` already sets on `_id` is kept. */
export function olderThan<D extends Document & { _id: string }>(filter: Filter<D>, before: string | undefined): Filter<D> {
  return (before ? { ...filter, _id: { ...(filter._id as object | undefined), $lt: before } } : filter) as Filter<D>;
}

/**
 * The documents of a keyset page: `filter` and older than the cursor, newest first by `_id`
 * (a UUIDv7 string, so the primary index orders by time), one more than the page so `pageOf`
 * knows whether another follows.
 */
export function newestFirst<D extends Document & { _id: string }>(
  collection: Collection<D>,
  filter: Filter<D>,
  request: PageRequest,
  options?: FindOptions,
): Promise<WithId<D>[]> {
  return collection
    .find(olderThan(filter, request.before), options)
    .sort({ _id: -1 })
    .limit(request.limit + 1)
    .toArray();
}

/** The page of `limit + 1` documents fetched newest first; its cursor is the last item's id. */
export function pageOf<R, T extends { id: string }>(docs: readonly R[], request: PageRequest, toEntity: (doc: R) => T): Page<T> {
  return toPage(docs.map(toEntity), request.limit, (item) => item.id);
}

export async function keysetPage<D extends Document & { _id: string }, T extends { id: string }>(
  collection: Collection<D>,
  filter: Filter<D>,
  request: PageRequest,
  toEntity: (doc: WithId<D>) => T,
  options?: FindOptions,
): Promise<Page<T>> {
  return pageOf(await newestFirst(collection, filter, request, options), request, toEntity);
}

/**
 * Up to `limit` documents whose `_id` is greater than `after` (from the first when null), oldest
 * first: a forward seek on the primary index, for reading a whole collection page by page.
 */
export function oldestFirst<D extends Document & { _id: string }>(
  collection: Collection<D>,
  after: string | null,
  limit: number,
  options?: FindOptions,
): Promise<WithId<D>[]> {
  if (limit <= 0) return Promise.resolve([]); // a limit of 0 would mean "no limit" to the server
  const filter = after === null ? {} : { _id: { $gt: after } };
  return collection
    .find(filter as Filter<D>, options)
    .sort({ _id: 1 })
    .limit(limit)
    .toArray();
}
