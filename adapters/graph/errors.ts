import { Neo4jError } from 'neo4j-driver';

/** The property named by a uniqueness-constraint violation, or null for any other error. */
export function violatedProperty(err: unknown): string | null {
  if (!(err instanceof Neo4jError) || err.code !== 'Neo.ClientError.Schema.ConstraintValidationFailed') return null;
  return /property `([^`]+)`/.exec(err.message)?.[1] ?? '';
}

const UNAVAILABLE = new Set(['ServiceUnavailable', 'SessionExpired', 'Neo.TransientError.General.DatabaseUnavailable']);

/** True when the error means the server cannot be reached now, not that the query is wrong. */
export function isNeo4jUnavailable(err: unknown): boolean {
  return err instanceof Neo4jError && UNAVAILABLE.has(err.code);
}
