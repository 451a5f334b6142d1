import { ValidationError } from './errors.js';
import { isId } from './id-generator.js';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

/** A keyset page request: items strictly older (smaller id) than `before`, newest first. */
export interface PageRequest {
  limit: number;
  before?: string;
}

export interface Page<T> {
  items: T[];
  /** The key to pass as `before` for the next page, or null when this is the last. */
  next: string | null;
}

export function pageRequest(limit: number | undefined, cursor: string | undefined): PageRequest {
  const size = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw ValidationError.field('limit', `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return cursor === undefined ? { limit: size } : { limit: size, before: decodeCursor(cursor) };
}

/** What a cursor looks like: the last item's id as 32 hex digits, so any such string is a valid bound. */
export const CURSOR_PATTERN = '^[0-9a-f]{32}$';
const CURSOR = new RegExp(CURSOR_PATTERN);

export function encodeCursor(key: string): string {
  return key.replace(/-/g, '');
}

function decodeCursor(cursor: string): string {
  if (!CURSOR.test(cursor)) throw ValidationError.field('cursor', 'is not a cursor returned by this API');
  const key = `${cursor.slice(0, 8)}-${cursor.slice(8, 12)}-${cursor.slice(12, 16)}-${cursor.slice(16, 20)}-${cursor.slice(20)}`;
  if (!isId(key)) throw ValidationError.field('cursor', 'is not a cursor returned by this API');
  return key;
}

/**
 * Adapters fetch `limit + 1` rows; this turns them into a page whose `next` is the key of
 * its last item when there was at least one more row.
 */
export function toPage<T>(rows: T[], limit: number, keyOf: (item: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last ? keyOf(last) : null };
}
