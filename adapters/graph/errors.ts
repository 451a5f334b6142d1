import { Neo4jError } from 'neo4j-driver';

/** The property named by a uniqueness-constraint violation, or null for any other error. */
export function violatedProperty(err: unknown): string | null {
  if (!(err instanceof Neo4jError) || err.code !== 'Neo.ClientError.Schema.ConstraintValidationFailed') return null;
  return /property `([^`]+)`/.exec(err.message)?.[1] ?? '';
}

const UNAVAILABLE = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
  // The server terminated a transaction that ran past its timeout (STORE_TIMEOUT_MS).
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
]);

/** True when the error means the server cannot be reached now, not that the query is wrong. */
export function isNeo4jUnavailable(err: unknown): boolean {
  if (!(err instanceof Neo4jError)) return false;
  // No connection came free, or none could be opened, within connectionAcquisitionTimeout
  // (the driver gives this one no code).
  return UNAVAILABLE.has(err.code) || err.message.startsWith('Connection acquisition timed out');
}
