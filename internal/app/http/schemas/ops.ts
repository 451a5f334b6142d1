import { Type } from '@sinclair/typebox';

export const Health = Type.Object(
  {
    status: Type.String({ description: 'ok (liveness), ready or unavailable (readiness)' }),
    stores: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Readiness only: up or down for each configured store' })),
  },
  { $id: 'Health' },
);
