/**
 * Ids are UUIDv7 strings: their first 48 bits are the creation time in milliseconds,
 * so sorting ids sorts by creation time in every store, and keyset pages need one key.
 */
export interface IdGenerator {
  /** A new id whose embedded time is `at`. */
  next(at: Date): string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(value: string): boolean {
  return UUID.test(value);
}

/** The smallest id that any id created at or after `at` sorts above or equal to. */
export function firstIdAt(at: Date): string {
  const hex = Math.max(0, at.getTime()).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}
