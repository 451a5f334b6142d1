import type { Driver } from 'neo4j-driver';
import type { Article, Blog } from '../../internal/domain/blogs/blog.js';
import type { BlogRepository } from '../../internal/domain/blogs/blog-repository.js';
import { SlugTakenError } from '../../internal/domain/blogs/errors.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { deleteWithParts } from './cascade.js';
import { violatedProperty } from './errors.js';
import { keysetPage } from './keyset.js';
import { int, str, strOrNull, toNumber, type Props } from './records.js';

export function toBlog(p: Props): Blog {
  return {
    id: str(p, 'id'), ownerId: str(p, 'owner_id'), name: str(p, 'name'), slug: str(p, 'slug'), description: strOrNull(p, 'description'),
    createdAt: new Date(str(p, 'created_at')), updatedAt: new Date(str(p, 'updated_at')),
  };
}

export function blogProps(b: Blog): Props {
  return {
    id: b.id, owner_id: b.ownerId, name: b.name, slug: b.slug, description: b.description,
    created_at: b.createdAt.toISOString(), updated_at: b.updatedAt.toISOString(),
  };
}

export function toArticle(p: Props): Article {
  return {
    id: str(p, 'id'), blogId: str(p, 'blog_id'), authorId: str(p, 'author_id'), title: strOrNull(p, 'title'), content: str(p, 'content'),
    viewCount: toNumber(p.view_count), createdAt: new Date(str(p, 'created_at')), updatedAt: new Date(str(p, 'updated_at')),
  };
}

export function articleProps(a: Article): Props {
  return {
    id: a.id, blog_id: a.blogId, author_id: a.authorId, title: a.title, content: a.content, view_count: int(a.viewCount),
    created_at: a.createdAt.toISOString(), updated_at: a.updatedAt.toISOString(),
  };
}

function slugClash(err: unknown, slug: string): never {
  if (violatedProperty(err) === 'slug') throw new SlugTakenError(slug);
  throw err;
}

/** (:Blog)-[:HAS_ARTICLE]->(:Article); a blog and its first articles are one transaction. */
export class Neo4jBlogRepository implements BlogRepository {
  constructor(private readonly driver: Driver) {}

  async createWithArticles(blog: Blog, articles: readonly Article[]): Promise<void> {
    await this.driver
      .executeQuery(
        `CREATE (b:Blog $blog)
         WITH b
         UNWIND $articles AS a
         CREATE (b)-[:HAS_ARTICLE]->(x:Article)
         SET x = a`,
        { blog: blogProps(blog), articles: articles.map(articleProps) },
      )
      .catch((err: unknown) => slugClash(err, blog.slug));
  }

  async findById(id: string): Promise<Blog | null> {
    return this.oneBlog('MATCH (b:Blog {id: $key}) RETURN b {.*} AS b', id);
  }

  async findBySlug(slug: string): Promise<Blog | null> {
    return this.oneBlog('MATCH (b:Blog {slug: $key}) RETURN b {.*} AS b', slug);
  }

  page(filter: { ownerId?: string }, request: PageRequest): Promise<Page<Blog>> {
    const conditions = [filter.ownerId !== undefined && 'b.owner_id = $owner'];
    const query = { match: 'MATCH (b:Blog)', key: 'b', conditions, returns: 'b {.*}', params: { owner: filter.ownerId ?? null } };
    return keysetPage(this.driver, query, request, toBlog);
  }

  async update(blog: Blog): Promise<Blog | null> {
    const { records } = await this.driver
      .executeQuery(
        `MATCH (b:Blog {id: $id})
         SET b.name = $name, b.slug = $slug, b.description = $description, b.updated_at = $updated
         RETURN b {.*} AS b`,
        { id: blog.id, name: blog.name, slug: blog.slug, description: blog.description, updated: blog.updatedAt.toISOString() },
      )
      .catch((err: unknown) => slugClash(err, blog.slug));
    const props = records[0]?.get('b') as Props | undefined;
    return props ? toBlog(props) : null;
  }

  delete(id: string): Promise<boolean> {
    return deleteWithParts(this.driver, { label: 'Blog', rel: 'HAS_ARTICLE', part: 'Article' }, id);
  }

  async articleCounts(blogIds: readonly string[]): Promise<Map<string, number>> {
    if (blogIds.length === 0) return new Map();
    const { records } = await this.driver.executeQuery(
      'MATCH (b:Blog) WHERE b.id IN $ids RETURN b.id AS id, COUNT { (b)-[:HAS_ARTICLE]->() } AS n',
      { ids: [...blogIds] },
      { routing: 'READ' },
    );
    return new Map(records.map((r) => [String(r.get('id')), toNumber(r.get('n'))]));
  }

  /** MATCH then CREATE in one transaction: a blog deleted meanwhile means nothing is created. */
  async addArticle(article: Article): Promise<boolean> {
    const { records } = await this.driver.executeQuery(
      `MATCH (b:Blog {id: $blog})
       CREATE (b)-[:HAS_ARTICLE]->(x:Article)
       SET x = $props
       RETURN x.id AS id`,
      { blog: article.blogId, props: articleProps(article) },
    );
    return records.length > 0;
  }

  async findArticle(id: string): Promise<Article | null> {
    return this.oneArticle('MATCH (a:Article {id: $id}) RETURN a {.*} AS a', { id }, 'READ');
  }

  async viewArticle(id: string): Promise<Article | null> {
    return this.oneArticle('MATCH (a:Article {id: $id}) SET a.view_count = a.view_count + 1 RETURN a {.*} AS a', { id }, 'WRITE');
  }

  async updateArticle(article: Article): Promise<Article | null> {
    return this.oneArticle(
      'MATCH (a:Article {id: $id}) SET a.title = $title, a.content = $content, a.updated_at = $updated RETURN a {.*} AS a',
      { id: article.id, title: article.title, content: article.content, updated: article.updatedAt.toISOString() },
      'WRITE',
    );
  }

  async deleteArticle(id: string): Promise<boolean> {
    const { records } = await this.driver.executeQuery('MATCH (a:Article {id: $id}) DETACH DELETE a RETURN count(*) AS n', { id });
    return toNumber(records[0]?.get('n')) > 0;
  }

  articles(blogId: string, request: PageRequest): Promise<Page<Article>> {
    const query = { match: 'MATCH (a:Article)', key: 'a', conditions: ['a.blog_id = $blog'], returns: 'a {.*}', params: { blog: blogId } };
    return keysetPage(this.driver, query, request, toArticle);
  }

  private async oneBlog(cypher: string, key: string): Promise<Blog | null> {
    const { records } = await this.driver.executeQuery(cypher, { key }, { routing: 'READ' });
    const props = records[0]?.get('b') as Props | undefined;
    return props ? toBlog(props) : null;
  }

  private async oneArticle(cypher: string, params: Record<string, unknown>, routing: 'READ' | 'WRITE'): Promise<Article | null> {
    const { records } = await this.driver.executeQuery(cypher, params, { routing });
    const props = records[0]?.get('a') as Props | undefined;
    return props ? toArticle(props) : null;
  }
}
