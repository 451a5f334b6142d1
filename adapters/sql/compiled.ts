import { CompiledQuery, type Kysely, type QueryExecutorProvider } from 'kysely';

/** A query builder or a raw `sql` template: what Kysely can compile. */
export interface Shape<Row> {
  compile(executorProvider: QueryExecutorProvider): CompiledQuery<Row>;
}

/**
 * A query of fixed shape, built and compiled by Kysely once, on first use: `shape` is written
 * with a stand-in value wherever a value goes, and each run binds its own values, in the order
 * the stand-ins appear in the SQL (the order Kysely numbers its parameters). A stand-in must
 * build the same SQL as a real value would: where a helper tests a value (`before ? ... : ...`),
 * give one that passes the test (a non-empty string, not '').
 *
 * Kysely builds and compiles a query on every call; for the single-row reads of the hot paths
 * (a post, a profile, a session) that costs about as much as SQLite's own work.
 */
/** At most this many statements are named (the hot shapes are a few dozen). */
const MAX_PREPARED = 1_000;
const PREPARED = new Map<string, string>();

/**
 * The name PostgreSQL prepares a CompiledShape's SQL under, on each pooled connection the first
 * time it runs there (see the pool in sql-store.ts): the server then parses and plans it once per
 * connection instead of on every call. Planning cost 2× running for a feed page (0.125 against
 * 0.058 ms). Undefined for any other SQL.
 */
export function preparedName(sql: string): string | undefined {
  return PREPARED.get(sql);
}

/**
 * Runs a compiled statement on the connection itself, or answers undefined when it may not:
 * registered per Kysely instance by the store that owns the connection (see runsDirectly).
 */
export type DirectRunner = (sql: string, parameters: readonly unknown[]) => unknown[] | undefined;

const DIRECT = new WeakMap<object, DirectRunner>();

/**
 * Lets CompiledShapes of `db` skip Kysely's executor (its connection provider, mutex and
 * promise hops cost more than SQLite's own work for a short read) by running their SQL through
 * `runner`. SQLite only: a synchronous driver on one connection, where a statement run outside a
 * transaction cannot interleave with anything; the runner answers undefined inside one, and the
 * statement then waits for the transaction through Kysely like any other query.
 */
export function runsDirectly(db: object, runner: DirectRunner): void {
  DIRECT.set(db, runner);
}

export class CompiledShape<DB, Row> {
  private compiled: { sql: string; arity: number } | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly shape: () => Shape<Row>,
  ) {}

  async rows(parameters: readonly unknown[]): Promise<Row[]> {
    const { sql, arity } = (this.compiled ??= this.compile());
    if (parameters.length !== arity) throw new Error(`this query takes ${arity} values, not ${parameters.length}`);
    const direct = DIRECT.get(this.db)?.(sql, parameters);
    if (direct) return direct as Row[];
    const { rows } = await this.db.executeQuery<Row>(CompiledQuery.raw(sql, [...parameters]));
    return rows;
  }

  async first(parameters: readonly unknown[]): Promise<Row | undefined> {
    return (await this.rows(parameters))[0];
  }

  private compile() {
    const { sql, parameters } = this.shape().compile(this.db);
    if (!PREPARED.has(sql) && PREPARED.size < MAX_PREPARED) PREPARED.set(sql, `agora_${PREPARED.size + 1}`);
    return { sql, arity: parameters.length };
  }
}

/** Variants beyond this many distinct ones compile each time instead of being kept. */
const KEPT_VARIANTS = 256;

/**
 * A CompiledShape per variant, for shapes whose SQL depends on a few small values: a LIMIT
 * written into it (see rowLimit), the length of an `IN (...)` list, whether a cursor bounds it.
 * `K` names the variant; `shape` builds it from the same values.
 */
export class CompiledShapes<DB, Row, K extends string | number> {
  private readonly shapes = new Map<K, CompiledShape<DB, Row>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly shape: (variant: K) => Shape<Row>,
  ) {}

  of(variant: K): CompiledShape<DB, Row> {
    let compiled = this.shapes.get(variant);
    if (!compiled) {
      compiled = new CompiledShape(this.db, () => this.shape(variant));
      if (this.shapes.size < KEPT_VARIANTS) this.shapes.set(variant, compiled);
    }
    return compiled;
  }
}
