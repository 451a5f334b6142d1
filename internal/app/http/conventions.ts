import compress from '@fastify/compress';
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import etag from '@fastify/etag';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Config } from '../config.js';

/**
 * What a browser page on an allowed origin may do: the methods the API answers, the request
 * headers it reads, and the response headers its clients need (a created resource's Location,
 * the ETag to revalidate with, the next page's Link, Retry-After, the request id to report).
 * Bearer tokens travel in Authorization, not in cookies, so no credentials mode is needed. A
 * preflight is remembered for 10 minutes.
 */
const CORS: FastifyCorsOptions = {
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match', 'x-request-id'],
  exposedHeaders: ['location', 'etag', 'link', 'retry-after', 'x-request-id'],
  maxAge: 600,
  credentials: false,
  // An OPTIONS from an allowed origin without Access-Control-Request-Method is answered as a
  // preflight too, rather than with the plugin's text/plain 400 (every error here is a problem).
  strictPreflight: false,
};

/**
 * The HTTP conventions every route shares: CORS for the origins of CORS_ORIGINS (none: off),
 * weak ETags with 304 answers to If-None-Match on reads, `Link: <...>; rel="next"` beside every
 * `next_cursor`, and br/gzip compression of answers over 1 KiB when the client asks.
 *
 * Call after helmet and the x-request-id hook (a preflight, answered in CORS's onRequest hook,
 * carries their headers), after the error handler, and before throttling, load shedding and the
 * routes: CORS headers are then on a 429 or 503 too (a page can read them), a preflight costs no
 * rate-limit slot, and compression attaches to every route as it is declared.
 */
export async function registerConventions(app: FastifyInstance, config: Pick<Config, 'corsOrigins'>): Promise<void> {
  if (config.corsOrigins.length > 0) registerCors(app, config.corsOrigins);
  // Weak: the tag names the JSON, whatever content-coding carries it (compression comes after
  // and changes the bytes, which a strong tag would have to follow). If-None-Match compares
  // weakly anyway, and there are no range requests a strong tag would serve.
  await app.register(etag, { weak: true, replyWith304: false });
  app.addHook('onRoute', declareReadHeaders);
  app.addHook('onSend', answerConditionalRead);
  app.addHook('preSerialization', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const cursor = (payload as { next_cursor?: unknown } | null)?.next_cursor;
    if (typeof cursor === 'string' && reply.statusCode === 200) reply.header('link', `<${nextPageUrl(request.url, cursor)}>; rel="next"`);
    return payload;
  });
  // Per route, after every instance hook: the ETag and Link see the uncompressed answer. Request
  // bodies are not decompressed (a Content-Encoding on a request stays unsupported).
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024, globalDecompression: false });
}

/**
 * @fastify/cors with exactly the configured origins; any other origin (or none) is not a CORS
 * request and gets what it gets today. The plugin answers a preflight in its onRequest hook,
 * which Fastify runs for requests no route matches too; the catch-all `OPTIONS *` route it also
 * declares is left out, since the router-error handling (methodsByPath) would learn from it that
 * every path answers OPTIONS, and an unknown path would be 405 instead of 404.
 */
function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins);
  const options: FastifyCorsOptions = {
    ...CORS,
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
  };
  const declareOptionsRoute = app.options;
  app.options = (() => app) as unknown as FastifyInstance['options'];
  try {
    cors(app, options, (err) => {
      if (err) throw err;
    });
  } finally {
    app.options = declareOptionsRoute;
  }
}

/**
 * A read (GET or HEAD answered 200 under /api) keeps the ETag @fastify/etag computed, and one whose
 * If-None-Match names it (weak comparison, or `*`) becomes a 304 with no body and the same headers,
 * Cache-Control: no-store included: an answer private to a token can still be revalidated by the
 * client that holds it, and no cache keeps it. Writes, errors and the operations routes carry no
 * ETag. A streamed answer (a /docs file) keeps what its own route set.
 */
async function answerConditionalRead(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const tag = reply.getHeader('etag');
  if (typeof tag !== 'string' || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
  const read = (request.method === 'GET' || request.method === 'HEAD') && reply.statusCode === 200 && request.routeOptions.url?.startsWith('/api/') === true;
  if (!read) {
    reply.removeHeader('etag');
    return payload;
  }
  if (!matches(request.headers['if-none-match'], tag)) return payload;
  reply.code(304);
  // Fastify's HEAD handler, last of the route's onSend hooks, drops a body itself (and needs one).
  return request.method === 'HEAD' ? payload : null;
}

const ETAG_HEADER = { type: 'string', description: 'Weak validator of this answer (W/"..."): send it as If-None-Match to get a 304 while it holds' };
const LINK_HEADER = { type: 'string', description: 'While next_cursor is not null: </this path and query with cursor=next_cursor>; rel="next"' };
const NOT_MODIFIED = { type: 'null', description: 'Not Modified: If-None-Match named the current ETag (or was *); no body' };

/**
 * OpenAPI: an /api read's 200 says it carries an ETag (and a Link, on a route that takes
 * `?cursor=`), and the read may answer 304. The 200's schema is copied, never changed in place:
 * a named schema is shared with other routes.
 */
function declareReadHeaders(route: RouteOptions): void {
  const schema = route.schema as { querystring?: { properties?: Record<string, unknown> }; response?: Record<string, unknown> } | undefined;
  const ok = schema?.response?.[200];
  if (!route.url.startsWith('/api/') || ![route.method].flat().includes('GET') || typeof ok !== 'object' || ok === null) return;
  const paged = schema!.querystring?.properties?.cursor !== undefined;
  schema!.response![200] = { ...ok, headers: { ETag: ETAG_HEADER, ...(paged ? { Link: LINK_HEADER } : {}) } };
  schema!.response![304] ??= NOT_MODIFIED;
}

/** RFC 9110 §13.1.2: a list of entity tags, compared weakly (W/ ignored), or `*`. */
function matches(ifNoneMatch: string | undefined, tag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = tag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => {
    const trimmed = candidate.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === opaque;
  });
}

/**
 * The request's own path and query with `cursor` set to the next page's (other parameters kept,
 * re-encoded), as a relative reference: `/api/posts?limit=2&cursor=...`.
 */
export function nextPageUrl(url: string, cursor: string): string {
  const at = url.indexOf('?');
  const query = new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
  query.set('cursor', cursor);
  const raw = at === -1 ? url : url.slice(0, at);
  // A path of characters a URL keeps as they are is its own pathname: parsing it as a URL only
  // to read it back cost 3 µs on every page. Anything else (non-ASCII, spaces, quotes, a
  // backslash, dot segments) is written as the URL parser writes it.
  const path = PLAIN_PATH.test(raw) && !raw.includes('/.') ? raw : new URL(`http://host${raw}`).pathname;
  return `${path}?${query.toString()}`;
}

/** Absolute paths the URL parser leaves unchanged, but for dot segments (tested apart): one character class, no backtracking. */
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
