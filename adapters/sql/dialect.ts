import type { ColumnDataType } from 'kysely';

export type SqlDialectName = 'sqlite' | 'postgres';

/**
 * Everything that differs between SQLite and PostgreSQL lives here and in errors.ts;
 * queries elsewhere are the same for both.
 */
export interface SqlDialectTraits {
  name: SqlDialectName;
  /** Time-ordered UUIDv7 ids: native uuid in PostgreSQL (16 bytes, sorts by bytes). */
  idType: ColumnDataType;
  timestampType: ColumnDataType;
}

export const DIALECTS: Record<SqlDialectName, SqlDialectTraits> = {
  sqlite: { name: 'sqlite', idType: 'text', timestampType: 'text' },
  postgres: { name: 'postgres', idType: 'uuid', timestampType: 'timestamptz' },
};

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toCount(value: string | number | bigint | null | undefined): number {
  return Number(value ?? 0);
}

/** A LIKE pattern matching `text` anywhere, with its wildcards escaped (use ESCAPE '\'). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
