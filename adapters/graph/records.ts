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
