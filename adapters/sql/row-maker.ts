/**
 * A function that makes one row object from a row's values, for a statement with these column
 * names: an object literal with the names as its keys (`{"id": v[0], "kind": v[1], ...}`),
 * compiled once per statement. Filling an object by a loop over the names (better-sqlite3's
 * and pg's own rows, and a copy of a template object filled the same way) stores each
 * property by a key the engine sees only at run time, which cost 10 µs of a following page's
 * 11 rows of 21 columns on SQLite (25 µs for SQLite's own work); the literal costs about 2. Each name is
 * written as a JSON string, so any column name is a key and nothing else; a name the literal
 * would take for the object's prototype (`__proto__`) makes the loop's object instead.
 */
export function rowMaker(names: readonly string[]): (values: unknown[]) => Record<string, unknown> {
  if (names.includes('__proto__')) {
    return (values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) Object.defineProperty(row, names[i]!, { value: values[i], enumerable: true, writable: true, configurable: true });
      return row;
    };
  }
  const keys = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ');
  return new Function('v', `return {${keys}};`) as (values: unknown[]) => Record<string, unknown>;
}
