import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { DependencyContainer } from 'tsyringe';
import type { Clock } from '../../domain/shared/clock.js';
import { IDEMPOTENCY_TTL_MS, type IdempotencyRepository, type StoredResponse } from '../../domain/shared/idempotency.js';
import type { Config } from '../config.js';
import type { Stores } from '../stores.js';
import { TOKENS } from '../tokens.js';
import { instrument, type Metrics } from './metrics.js';
import { problem, sendProblem } from './problem.js';
import { problemResponse } from './schemas/common.js';

const HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 255;
/**
 * Printable ASCII (space to tilde), neither starting nor ending with a space: HTTP strips those
 * from a header value, so a schema allowing them would describe keys no request can carry.
 */
const KEY_PATTERN = '^[\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?$';
const KEY = new RegExp(KEY_PATTERN);

const KEY_SCHEMA = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_KEY_LENGTH,
  pattern: KEY_PATTERN,
  description:
    'Makes this create safe to retry: a retry with the same key (same user, within 24 h) gets the first answer ' +
    '(with `Idempotent-Replayed: true`) and has no second effect; the same key with another body is 422 ' +
    'IDEMPOTENCY_KEY_REUSED; while the first is still running, 409 IDEMPOTENCY_IN_PROGRESS. 1–255 printable ASCII characters, no space at either end.',
};

/** A POST that creates: it requires a token and answers 201. */
function createsOnPost(route: RouteOptions): boolean {
  const responses = route.schema?.response as Record<string, unknown> | undefined;
  return [route.method].flat().includes('POST') && route.config?.auth === 'required' && responses?.['201'] !== undefined;
}

/** The same JSON whatever order its object keys came in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(object).sort().map((k) => [k, canonical(object[k])]));
}

/** What the request asks: method, route and its parameters, and the (validated) body. */
function fingerprintOf(request: FastifyRequest): string {
  const asked = [request.method, request.routeOptions.url, canonical(request.params), canonical(request.body ?? null)];
  return createHash('sha256').update(JSON.stringify(asked)).digest('hex');
}

function bodyOf(payload: unknown): string | null {
  if (payload === null || payload === undefined) return '';
  if (typeof payload === 'string') return payload;
  return Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
}

function replay(reply: FastifyReply, response: StoredResponse): FastifyReply {
  reply.code(response.status).header('idempotent-replayed', 'true');
  if (response.location !== null) reply.header('location', response.location);
  if (response.contentType !== '') reply.type(response.contentType);
  return reply.send(response.body);
}

/**
 * A refusal that says "not now" (429, with Retry-After: the daily post limit, a rate limit) or a
 * failure on our side (5xx) made no effect, and a retry later may succeed: the key is released,
 * not kept with that answer. Every other answer, 4xx included, is the first answer a retry gets.
 */
function keeps(status: number): boolean {
  return status < 500 && status !== 429;
}

/**
 * `Idempotency-Key` on every POST that creates (requires a token and answers 201; no route
 * declares it): the header joins the route's schema (so OpenAPI shows it), a preValidation hook
 * checks it (400 INVALID_IDEMPOTENCY_KEY), a preHandler claims it once the auth hook has named
 * the caller, and onSend stores the answer (or releases the key, see `keeps`). A retry with the
 * same key and request gets the stored answer; another request under the key is 422; one still
 * running is 409 with Retry-After. Records live in the store holding `users`, 24 h from the
 * claim; an expired one counts as absent, so nothing purges them.
 *
 * A request that dies between its claim and its answer (the process killed, or the store gone
 * before the release) leaves its key pending until it expires: retries get 409, and a client
 * that must go on sends a new key. Register after `registerAuth`, before the routes.
 */
export function registerIdempotency(app: FastifyInstance, deps: { stores: Stores; config: Config; container: DependencyContainer; metrics: Metrics }): void {
  const kind = deps.config.storage.users;
  const store = deps.stores.get(kind)?.idempotency?.();
  if (!store) return;
  const records: IdempotencyRepository = instrument(store, kind, 'idempotency', deps.metrics);
  const clock = deps.container.resolve<Clock>(TOKENS.clock);
  /** The key each request claimed and has yet to complete or release. */
  const held = new WeakMap<FastifyRequest, { userId: string; key: string }>();

  const check = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers[HEADER];
    if (key === undefined || (typeof key === 'string' && key.length <= MAX_KEY_LENGTH && KEY.test(key))) return undefined;
    return sendProblem(request, reply, problem(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 printable ASCII characters, with no space at either end'));
  };

  const claim = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers[HEADER];
    if (typeof key !== 'string') return undefined;
    const userId = request.user!.id;
    const fingerprint = fingerprintOf(request);
    const now = clock.now();
    const found = await records.claim(userId, key, fingerprint, now, new Date(now.getTime() + IDEMPOTENCY_TTL_MS));
    if (found.state === 'new') {
      held.set(request, { userId, key });
      return undefined;
    }
    if (found.fingerprint !== fingerprint) {
      return sendProblem(request, reply, problem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for another request; send a new key'));
    }
    if (found.state === 'pending') {
      reply.header('retry-after', '1');
      return sendProblem(request, reply, problem(409, 'IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still in progress; retry shortly'));
    }
    return replay(reply, found.response);
  };

  /** Never fails the answer: the effect happened (or did not) whatever the record says. */
  const settle = async (request: FastifyRequest, status: number, headers: { contentType: unknown; location: unknown }, payload: unknown) => {
    const claimed = held.get(request);
    if (!claimed) return;
    held.delete(request);
    const body = bodyOf(payload);
    try {
      if (keeps(status) && body !== null) {
        const location = typeof headers.location === 'string' ? headers.location : null;
        await records.complete(claimed.userId, claimed.key, { status, contentType: String(headers.contentType ?? ''), location, body });
      } else {
        await records.release(claimed.userId, claimed.key);
      }
    } catch (err) {
      request.log.error({ err }, 'could not record the answer of an Idempotency-Key; the key stays pending until it expires');
    }
  };

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!createsOnPost(route) || !route.schema) return;
    const headers = (route.schema.headers ?? {}) as { properties?: Record<string, unknown> };
    route.schema.headers = { ...headers, type: 'object', properties: { ...headers.properties, [HEADER]: KEY_SCHEMA }, additionalProperties: true };
    const responses = route.schema.response as Record<number, unknown>;
    responses[409] ??= problemResponse(409);
    responses[422] ??= problemResponse(422);
    route.preValidation = [...[route.preValidation ?? []].flat(), check];
    route.preHandler = [...[route.preHandler ?? []].flat(), claim];
    // First of the route's own onSend hooks: it stores the serialized answer, before compression
    // (@fastify/compress appends its hook to each route) turns it into a stream.
    route.onSend = [
      async (request, reply, payload) => {
        await settle(request, reply.statusCode, { contentType: reply.getHeader('content-type'), location: reply.getHeader('location') }, payload);
        return payload;
      },
      ...[route.onSend ?? []].flat(),
    ];
    // Whatever ended the request without an answer through onSend: the key must not stay pending.
    route.onResponse = [...[route.onResponse ?? []].flat(), async (request) => settle(request, 500, { contentType: null, location: null }, null)];
  });
}
