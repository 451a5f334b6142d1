import { CompiledQuery, type Kysely, type QueryExecutorProvider } from 'kysely';

/** A query builder or a raw `sql` template: what Kysely can compile. */
export interface Shape<Row> {
  compile(executorProvider: QueryExecutorProvider): CompiledQuery<Row>;
}

/**
 * A query of fixed shape, built and compiled by Kysely once, on first use: `shape` is written
 * with a stand-in value wherever a value goes, and each run binds its own values, in the order
 * the stand-ins appear in the SQL (the order Kysely numbers its parameters).
 *
 * Kysely builds and compiles a query on every call; for the single-row reads of the hot paths
 * (a post, a profile, a session) that costs about as much as SQLite's own work.
 */
export class CompiledShape<DB, Row> {
  private compiled: { sql: string; arity: number } | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly shape: () => Shape<Row>,
  ) {}

  async rows(parameters: readonly unknown[]): Promise<Row[]> {
    const { sql, arity } = (this.compiled ??= this.compile());
    if (parameters.length !== arity) throw new Error(`this query takes ${arity} values, not ${parameters.length}`);
    const { rows } = await this.db.executeQuery<Row>(CompiledQuery.raw(sql, [...parameters]));
    return rows;
  }

  async first(parameters: readonly unknown[]): Promise<Row | undefined> {
    return (await this.rows(parameters))[0];
  }

  private compile() {
    const { sql, parameters } = this.shape().compile(this.db);
    return { sql, arity: parameters.length };
  }
}

/** Page sizes beyond this many distinct ones compile each time instead of being kept. */
const KEPT_LIMITS = 128;

/** A CompiledShape per row limit, for shapes whose LIMIT is written into the SQL (see rowLimit). */
export class CompiledShapesByLimit<DB, Row> {
  private readonly shapes = new Map<number, CompiledShape<DB, Row>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly shape: (limit: number) => Shape<Row>,
  ) {}

  of(limit: number): CompiledShape<DB, Row> {
    let compiled = this.shapes.get(limit);
    if (!compiled) {
      compiled = new CompiledShape(this.db, () => this.shape(limit));
      if (this.shapes.size < KEPT_LIMITS) this.shapes.set(limit, compiled);
    }
    return compiled;
  }
}
