import { Type, type TSchema } from '@sinclair/typebox';

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601 UTC with milliseconds' });
export const Id = Type.String({ description: 'Opaque, time-ordered id (UUIDv7)', examples: ['019a7c3e-2b1f-7c4e-9a1d-3f5e8b2c1a0d'] });
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10, description: 'Page size, 1 to 100' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'next_cursor of the previous page' })),
};

export function PageOf<T extends TSchema>(item: T, name: string) {
  return Type.Object(
    { items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) },
    { title: `${name}Page` },
  );
}

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable UPPER_SNAKE name of the failure' }),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', title: 'Problem', description: 'RFC 9457 problem document (application/problem+json)' },
);

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED, MALFORMED_JSON)',
  401: 'Missing or invalid bearer token',
  403: 'Not the owner',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'Breaks a domain rule',
  429: 'Rate limited',
  503: 'A store is unavailable (STORE_UNAVAILABLE)',
};

/** A route's response schemas: its successes plus the problem documents it can answer with. */
export function responses(success: Record<number, TSchema>, failures: number[]): Record<number, TSchema> {
  const all: Record<number, TSchema> = { ...success };
  for (const status of [...failures, 503]) {
    all[status] = Type.Ref(Problem, { description: DESCRIPTIONS[status] ?? 'Problem' });
  }
  return all;
}

export const NoContent = Type.Null({ description: 'No content' });
