/**
 * The name of the unique index a write violated (PostgreSQL: its constraint name;
 * SQLite: "table.column, ..." from the message), or null for any other error.
 */
export function violatedUnique(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code === '23505') return typeof e.constraint === 'string' ? e.constraint : '';
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const message = typeof e.message === 'string' ? e.message : '';
    return message.replace(/^UNIQUE constraint failed: /, '').replace(/\./g, '_');
  }
  return null;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57014', // query_canceled: statement_timeout (STORE_TIMEOUT_MS) ran out
]);

/** True when the error means the database cannot be reached now, not that the query is wrong. */
export function isSqlUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  // SQLite: another connection held the lock for the whole busy timeout (STORE_TIMEOUT_MS).
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
  return (
    typeof message === 'string' &&
    // "Query read timeout" is pg's query_timeout: the server never answered (frozen, black-holed).
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i.test(
      message,
    )
  );
}
