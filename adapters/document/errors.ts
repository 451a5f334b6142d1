import {
  MongoDriverError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/** Server codes meaning "this node cannot serve now" (shutdown, failover), not "the query is wrong". */
const UNAVAILABLE_CODES = new Set([
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  50, // MaxTimeMSExpired: the server stopped an operation at its time limit
  262, // ExceededTimeLimit
]);

/**
 * Driver errors for "no connection came free in time" (waitQueueTimeoutMS), which the driver
 * does not export as classes: matched by name.
 */
const UNAVAILABLE_NAMES = new Set(['MongoWaitQueueTimeoutError']);

/** True when the error means the server cannot be reached now; guard() turns it into a 503. */
export function isMongoUnavailable(err: unknown): boolean {
  if (
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNetworkError || // includes socketTimeoutMS (MongoNetworkTimeoutError) and a cleared pool
    err instanceof MongoNotConnectedError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoOperationTimeoutError // timeoutMS (CSOT), where the driver honours it
  ) {
    return true;
  }
  if (err instanceof MongoDriverError && UNAVAILABLE_NAMES.has(err.name)) return true;
  return err instanceof MongoServerError && typeof err.code === 'number' && UNAVAILABLE_CODES.has(err.code);
}

/**
 * True for a unique-index violation. MongoDB reports every one as E11000 (code 11000) and names
 * the index; FerretDB v1 names only the collection, and reports a violation by an *update* as
 * an InternalError quoting its backend: SQLite's "UNIQUE constraint failed", PostgreSQL's
 * "duplicate key value violates unique constraint". Which key clashed is therefore never read
 * from the error: each repository confirms it with a lookup, the same on both.
 */
export function isDuplicateKey(err: unknown): boolean {
  if (!(err instanceof MongoServerError)) return false;
  return err.code === 11000 || /E11000 duplicate key|UNIQUE constraint failed|duplicate key value violates unique constraint/.test(err.message);
}
