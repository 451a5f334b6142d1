import { sql, type Kysely, type Selectable } from 'kysely';
import type { Article, Blog } from '../../internal/domain/blogs/blog.js';
import type { BlogRepository } from '../../internal/domain/blogs/blog-repository.js';
import { SlugTakenError } from '../../internal/domain/blogs/errors.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { toCount, toDate } from './dialect.js';
import { violatedUnique } from './errors.js';
import { idIn, idIs } from './ids.js';
import { keysetPage } from './keyset.js';
import type { ArticlesTable, BlogsTable, Database } from './schema.js';

export function toBlog(row: Selectable<BlogsTable>): Blog {
  return {
    id: row.id, ownerId: row.owner_id, name: row.name, slug: row.slug, description: row.description,
    createdAt: toDate(row.created_at), updatedAt: toDate(row.updated_at),
  };
}

export function blogRow(b: Blog) {
  return {
    id: b.id, owner_id: b.ownerId, name: b.name, slug: b.slug, description: b.description,
    created_at: b.createdAt.toISOString(), updated_at: b.updatedAt.toISOString(),
  };
}

export function toArticle(row: Selectable<ArticlesTable>): Article {
  return {
    id: row.id, blogId: row.blog_id, authorId: row.author_id, title: row.title, content: row.content, viewCount: toCount(row.view_count),
    createdAt: toDate(row.created_at), updatedAt: toDate(row.updated_at),
  };
}

export function articleRow(a: Article) {
  return {
    id: a.id, blog_id: a.blogId, author_id: a.authorId, title: a.title, content: a.content, view_count: a.viewCount,
    created_at: a.createdAt.toISOString(), updated_at: a.updatedAt.toISOString(),
  };
}

function slugClash(err: unknown, slug: string): never {
  if (violatedUnique(err)?.includes('slug')) throw new SlugTakenError(slug);
  throw err;
}

export class SqlBlogRepository implements BlogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** One transaction: a failure on any article rolls the blog and the others back. */
  async createWithArticles(blog: Blog, articles: readonly Article[]): Promise<void> {
    await this.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('blogs').values(blogRow(blog)).execute();
        for (const article of articles) await trx.insertInto('articles').values(articleRow(article)).execute();
      })
      .catch((err: unknown) => slugClash(err, blog.slug));
  }

  async findById(id: string): Promise<Blog | null> {
    const row = await this.db.selectFrom('blogs').selectAll().where(idIs('id', id)).executeTakeFirst();
    return row ? toBlog(row) : null;
  }

  async findBySlug(slug: string): Promise<Blog | null> {
    const row = await this.db.selectFrom('blogs').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row ? toBlog(row) : null;
  }

  page(filter: { ownerId?: string }, request: PageRequest): Promise<Page<Blog>> {
    const query = this.db.selectFrom('blogs').selectAll();
    return keysetPage(filter.ownerId !== undefined ? query.where(idIs('owner_id', filter.ownerId)) : query, request, toBlog);
  }

  async update(blog: Blog): Promise<Blog | null> {
    const row = await this.db
      .updateTable('blogs')
      .set({ name: blog.name, slug: blog.slug, description: blog.description, updated_at: blog.updatedAt.toISOString() })
      .where(idIs('id', blog.id))
      .returningAll()
      .executeTakeFirst()
      .catch((err: unknown) => slugClash(err, blog.slug));
    return row ? toBlog(row) : null;
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('articles').where(idIs('blog_id', id)).execute();
      const result = await trx.deleteFrom('blogs').where(idIs('id', id)).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async articleCounts(blogIds: readonly string[]): Promise<Map<string, number>> {
    if (blogIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('articles')
      .select(['blog_id', this.db.fn.countAll<number>().as('n')])
      .where(idIn('blog_id', blogIds))
      .groupBy('blog_id')
      .execute();
    return new Map(rows.map((r) => [r.blog_id, toCount(r.n)]));
  }

  /**
   * Checks the blog inside the transaction; a blog deleted concurrently makes the insert fail
   * on the foreign key (PostgreSQL) or waits its turn (SQLite's single writer): never an orphan.
   */
  async addArticle(article: Article): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const blog = await trx.selectFrom('blogs').select('id').where(idIs('id', article.blogId)).executeTakeFirst();
      if (!blog) return false;
      await trx.insertInto('articles').values(articleRow(article)).execute();
      return true;
    });
  }

  async findArticle(id: string): Promise<Article | null> {
    const row = await this.db.selectFrom('articles').selectAll().where(idIs('id', id)).executeTakeFirst();
    return row ? toArticle(row) : null;
  }

  async viewArticle(id: string): Promise<Article | null> {
    const row = await this.db
      .updateTable('articles')
      .set({ view_count: sql`view_count + 1` })
      .where(idIs('id', id))
      .returningAll()
      .executeTakeFirst();
    return row ? toArticle(row) : null;
  }

  async updateArticle(article: Article): Promise<Article | null> {
    const row = await this.db
      .updateTable('articles')
      .set({ title: article.title, content: article.content, updated_at: article.updatedAt.toISOString() })
      .where(idIs('id', article.id))
      .returningAll()
      .executeTakeFirst();
    return row ? toArticle(row) : null;
  }

  async deleteArticle(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('articles').where(idIs('id', id)).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  articles(blogId: string, request: PageRequest): Promise<Page<Article>> {
    return keysetPage(this.db.selectFrom('articles').selectAll().where(idIs('blog_id', blogId)), request, toArticle);
  }
}
