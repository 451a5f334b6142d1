import { Type, type Static, type StringOptions, type TSchema } from '@sinclair/typebox';
import { CURSOR_PATTERN, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../domain/shared/page.js';

/**
 * Every text input, wherever it comes from (path, query, body): no NUL or other C0 control
 * character except tab, newline and carriage return (lone surrogates are refused by a hook,
 * well-formed.ts: not every OpenAPI tool can read a surrogate range in a pattern). Lengths
 * count Unicode code points (Ajv's default), so an emoji is one character.
 */
export const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$';

export function Text(options: StringOptions & { maxLength: number }) {
  return Type.String({ ...options, pattern: TEXT_PATTERN });
}

/**
 * At least one character that is neither whitespace nor an invisible format character (zero-width
 * spaces and joiners, direction marks, BOM, soft hyphen): a post of nothing visible is empty. An
 * unanchored search for one character, so it stays linear.
 */
export const VISIBLE_PATTERN = '[^\\s\\u00AD\\u0600-\\u0605\\u061C\\u06DD\\u070F\\u0890\\u0891\\u08E2\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\uFEFF\\uFFF9-\\uFFFB]';

/** Text that must say something: at least one visible character (blank or invisible-only is 400). */
export function VisibleText(options: StringOptions & { maxLength: number }) {
  return Text({ minLength: 1, ...options, allOf: [{ pattern: VISIBLE_PATTERN }] });
}

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601 UTC with milliseconds' });
export const Id = Type.String({ description: 'Opaque, time-ordered id (UUIDv7)', examples: ['019a7c3e-2b1f-7c4e-9a1d-3f5e8b2c1a0d'] });
export const IdParams = Type.Object({ id: Text({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

export const PageQuery = {
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` }),
  ),
  cursor: Type.Optional(Type.String({ pattern: CURSOR_PATTERN, description: 'next_cursor of the previous page' })),
};

/**
 * A reference to a named schema: one with an `$id`, added to the app (SHARED_SCHEMAS in
 * schemas/index.ts). OpenAPI shows it as `#/components/schemas/<$id>`, fast-json-stringify
 * resolves it among the added schemas, and the route keeps the schema's static type.
 */
export function Named<T extends TSchema>(schema: T) {
  if (schema.$id === undefined) throw new Error('Named needs a schema with an $id');
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}

/** A page of a named schema, itself named `<item's $id>Page`: `{ items, next_cursor }`. */
export function PageOf<T extends TSchema>(item: T) {
  return Type.Object(
    { items: Type.Array(Named(item)), next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Null on the last page' }) },
    { $id: `${item.$id}Page`, description: `One page of ${item.$id} items; next_cursor, as ?cursor=, asks for the next` },
  );
}

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'A relative URI naming the kind of problem: /problems/<code in kebab-case>' }),
    title: Type.String({ description: "The status's reason phrase" }),
    status: Type.Integer({ minimum: 400, maximum: 599, description: 'The HTTP status of the answer' }),
    detail: Type.String(),
    code: Type.String({ description: 'Stable UPPER_SNAKE name of the failure' }),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  {
    $id: 'Problem',
    title: 'Problem',
    description: 'RFC 9457 problem document (application/problem+json)',
    examples: [
      {
        type: '/problems/post-not-found',
        title: 'Not Found',
        status: 404,
        detail: 'No post has the id "019a7c3e-2b1f-7c4e-9a1d-3f5e8b2c1a0d"',
        code: 'POST_NOT_FOUND',
        instance: '/api/posts/019a7c3e-2b1f-7c4e-9a1d-3f5e8b2c1a0d',
      },
    ],
  },
);

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED, MALFORMED_JSON, BAD_URL, INVALID_IDEMPOTENCY_KEY)',
  401: 'Missing, invalid or revoked bearer token (UNAUTHENTICATED, INVALID_CREDENTIALS)',
  403: 'Not the owner (FORBIDDEN)',
  404: 'Not found',
  409: 'Conflict with existing data, or a request with this Idempotency-Key still in progress (IDEMPOTENCY_IN_PROGRESS, with Retry-After)',
  413: 'Body too large (BODY_TOO_LARGE)',
  414: 'A path segment is too long (URI_TOO_LONG)',
  415: 'Body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  422: 'Well-formed, but breaks a domain rule (INVALID_RANGE, CANNOT_FOLLOW_SELF, IDEMPOTENCY_KEY_REUSED, ...)',
  429: 'Too many requests (RATE_LIMITED, DAILY_POST_LIMIT_REACHED); see Retry-After',
  500: 'Unexpected failure (INTERNAL); the x-request-id names it in the logs',
  503: 'A store is unavailable or the server is overloaded (STORE_UNAVAILABLE, OVERLOADED, UNDER_PRESSURE); see Retry-After',
};

/** An error answer as OpenAPI should show it: a Problem in application/problem+json. */
export function problemResponse(status: number) {
  return {
    description: DESCRIPTIONS[status] ?? 'Problem',
    content: { 'application/problem+json': { schema: Named(Problem) } },
  };
}

/**
 * A route's response schemas: its successes plus the problem documents its own logic can
 * answer with. `declareProblems` adds the ones every route of a kind can answer.
 */
export function responses(success: Record<number, TSchema>, failures: number[]): Record<number, TSchema> {
  const all: Record<number, unknown> = { ...success };
  for (const status of failures) all[status] = problemResponse(status);
  return all as Record<number, TSchema>;
}

interface RouteSchema {
  body?: unknown;
  params?: unknown;
  querystring?: unknown;
  response?: Record<number, unknown>;
}

/**
 * The statuses any API route can answer beyond its own: 400 and 414 when it takes input, 413
 * and 415 when it takes a body, 429 when throttled, 500 and 503 always. Run from an onRoute hook.
 */
export function declareProblems(url: string, schema: RouteSchema | undefined, throttled: boolean): void {
  if (!url.startsWith('/api/') || !schema?.response) return;
  const extra = [500, 503];
  if (schema.body || schema.params || schema.querystring) extra.push(400);
  if (schema.params) extra.push(414);
  if (schema.body) extra.push(413, 415);
  if (throttled) extra.push(429);
  for (const status of extra) schema.response[status] ??= problemResponse(status);
}

export const NoContent = Type.Null({ description: 'No content' });
