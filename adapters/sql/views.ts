import { sql, type Expression, type Kysely } from 'kysely';
import { embeddedView, type PostView } from '../../internal/domain/posts/post-views.js';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { toCount } from './dialect.js';
import { POST_COLUMNS, toPost, type PostRow } from './records.js';
import type { Database } from './schema.js';

/** What a post's view is read from: the post and its counters (never its keys). */
export const VIEW_COLUMNS = [...POST_COLUMNS, 'repost_count', 'quote_count'] as const;

type ViewColumns = PostRow & { repost_count: number; quote_count: number };

/** A post's columns, then its original's as `o_<column>` (all null for an original post). */
export type ViewRow = ViewColumns & { [K in keyof ViewColumns as `o_${K}`]: ViewColumns[K] | null };

const ORIGINAL_COLUMNS = sql.raw(VIEW_COLUMNS.map((c) => `o.${c} as o_${c}`).join(', '));

/** A view's select list where a statement joins `posts as p` to its original `posts as o` itself (as viewsQuery does). */
export const JOINED_VIEW_COLUMNS = sql.raw([...VIEW_COLUMNS.map((c) => `p.${c}`), ...VIEW_COLUMNS.map((c) => `o.${c} as o_${c}`)].join(', '));

/**
 * The views of the posts `query` selects (VIEW_COLUMNS of posts, at most a page of them), in
 * one statement: its rows joined to their originals by primary key, newest first.
 */
export async function viewsOf(db: Kysely<Database>, query: Expression<unknown>): Promise<PostView[]> {
  const { rows } = await viewsQuery(query).execute(db);
  return rows.map(toView);
}

/** The statement viewsOf runs, for a CompiledShape of it (whose rows go through toViews). */
export function viewsQuery(query: Expression<unknown>) {
  return sql<ViewRow>`
    select p.*, ${ORIGINAL_COLUMNS} from (${query}) as p
    left join posts as o on o.id = p.original_id
    order by p.id desc`;
}

export function toViews(rows: readonly ViewRow[]): PostView[] {
  return rows.map(toView);
}

/** The keyset page of views of `query`, which selects `limit + 1` rows newest first. */
export async function viewPage(db: Kysely<Database>, query: Expression<unknown>, request: PageRequest): Promise<Page<PostView>> {
  return toPage(await viewsOf(db, query), request.limit, (view) => view.post.id);
}

function toView(row: ViewRow): PostView {
  const original = row.o_id === null ? null : originalColumns(row);
  return { ...embeddedOf(row), original: original && embeddedOf(original) };
}

function embeddedOf(row: ViewColumns) {
  return embeddedView(toPost(row), toCount(row.repost_count), toCount(row.quote_count));
}

function originalColumns(row: ViewRow): ViewColumns {
  return Object.fromEntries(VIEW_COLUMNS.map((c) => [c, row[`o_${c}`]])) as unknown as ViewColumns;
}
