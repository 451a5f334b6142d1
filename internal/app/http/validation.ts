import { Ajv, type Options } from 'ajv';
import formats from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

const shared: Options = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false };

function make(options: Options): Ajv {
  const ajv = new Ajv({ ...shared, ...options });
  // ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
  (formats as unknown as { default: (a: Ajv) => void }).default(ajv);
  return ajv;
}

/**
 * JSON bodies are validated as sent (a number is not a username); query strings and path
 * parameters arrive as text, so there types are coerced ("10" is a limit).
 */
export function validatorCompiler(schemas: Record<string, unknown>[]): FastifySchemaCompiler<FastifySchema> {
  const strict = make({ coerceTypes: false });
  const coercing = make({ coerceTypes: 'array' });
  for (const schema of schemas) {
    strict.addSchema(schema);
    coercing.addSchema(schema);
  }
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}
