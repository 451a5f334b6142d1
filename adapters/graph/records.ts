import neo4j, { type Integer } from 'neo4j-driver';

/** LIMIT and friends must be Neo4j integers, not JavaScript floats. */
export function int(value: number): Integer {
  return neo4j.int(value);
}

export function toNumber(value: unknown): number {
  return neo4j.isInt(value) ? (value as Integer).toNumber() : Number(value ?? 0);
}

/** Properties of a node as returned by `RETURN n {.*}`: plain values, times as ISO strings. */
export type Props = Record<string, unknown>;

export function str(props: Props, key: string): string {
  return String(props[key]);
}

export function strOrNull(props: Props, key: string): string | null {
  const value = props[key];
  return value === null || value === undefined ? null : String(value);
}

/**
 * `WHERE` with only the conditions a query needs (falsy entries are left out). Keyset pages
 * build their Cypher this way rather than with `$x IS NULL OR ...`, which hides every
 * predicate from the planner: it then scans the whole label and sorts it. Pages also always
 * keep a predicate on the id they order by, so the range index yields them in order, and
 * order the nodes (`WITH n ORDER BY n.id`) before projecting them: ordering a projected map
 * by its `id` key cannot use the index, and sorts every match.
 */
export function where(...conditions: Array<string | false | undefined | null>): string {
  const kept = conditions.filter((c): c is string => typeof c === 'string' && c.length > 0);
  return kept.length ? `WHERE ${kept.join(' AND ')}` : '';
}
