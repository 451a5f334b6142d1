/** ioredis's own errors for "no server to send to" or "no answer in time" (it exports no classes for them). */
const UNAVAILABLE_MESSAGES = [
  'Connection is closed.',
  'Command timed out', // commandTimeout (STORE_TIMEOUT_MS)
  "Stream isn't writeable",
];

/** ioredis's AbortError: a command dropped with its connection, or after too many reconnects (MaxRetriesPerRequestError). */
const UNAVAILABLE_NAMES = new Set(['AbortError', 'MaxRetriesPerRequestError']);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** Server replies meaning "this server cannot serve now" (loading its data, a script running too long, a replica, full). */
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|OOM) /;

/** True when the error means the server cannot be reached or cannot serve now; guard() turns it into a 503. */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ReplyError') return UNAVAILABLE_REPLY.test(err.message);
  const code = (err as { code?: unknown }).code;
  return (
    UNAVAILABLE_NAMES.has(err.name) ||
    UNAVAILABLE_MESSAGES.some((m) => err.message.startsWith(m)) ||
    (typeof code === 'string' && NETWORK_CODES.has(code))
  );
}
