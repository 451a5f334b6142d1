import type { Driver } from 'neo4j-driver';
import type { Article, Blog } from '../../internal/domain/blogs/blog.js';
import type { BlogRepository } from '../../internal/domain/blogs/blog-repository.js';
import { SlugTakenError } from '../../internal/domain/blogs/errors.js';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { violatedProperty } from './errors.js';
import { int, str, strOrNull, toNumber, type Props, where } from './records.js';

function toBlog(p: Props): Blog {
  return {
    id: str(p, 'id'),
    ownerId: str(p, 'owner_id'),
    name: str(p, 'name'),
    slug: str(p, 'slug'),
    description: strOrNull(p, 'description'),
    createdAt: new Date(str(p, 'created_at')),
    updatedAt: new Date(str(p, 'updated_at')),
  };
}

function toArticle(p: Props): Article {
  return {
    id: str(p, 'id'),
    blogId: str(p, 'blog_id'),
    authorId: str(p, 'author_id'),
    title: strOrNull(p, 'title'),
    content: str(p, 'content'),
    viewCount: toNumber(p.view_count),
    createdAt: new Date(str(p, 'created_at')),
    updatedAt: new Date(str(p, 'updated_at')),
  };
}

function articleProps(a: Article) {
  return {
    id: a.id,
    blog_id: a.blogId,
    author_id: a.authorId,
    title: a.title,
    content: a.content,
    view_count: int(a.viewCount),
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
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
        `CREATE (b:Blog {id: $id, owner_id: $owner, name: $name, slug: $slug, description: $description,
                         created_at: $created, updated_at: $updated})
         WITH b
         UNWIND $articles AS a
         CREATE (b)-[:HAS_ARTICLE]->(x:Article)
         SET x = a`,
        {
          id: blog.id,
          owner: blog.ownerId,
          name: blog.name,
          slug: blog.slug,
          description: blog.description,
          created: blog.createdAt.toISOString(),
          updated: blog.updatedAt.toISOString(),
          articles: articles.map(articleProps),
        },
      )
      .catch((err: unknown) => slugClash(err, blog.slug));
  }

  async findById(id: string): Promise<Blog | null> {
    return this.oneBlog('MATCH (b:Blog {id: $key}) RETURN b {.*} AS b', id);
  }

  async findBySlug(slug: string): Promise<Blog | null> {
    return this.oneBlog('MATCH (b:Blog {slug: $key}) RETURN b {.*} AS b', slug);
  }

  async page(filter: { ownerId?: string }, request: PageRequest): Promise<Page<Blog>> {
    const { records } = await this.driver.executeQuery(
      `MATCH (b:Blog) ${where(filter.ownerId && 'b.owner_id = $owner', request.before ? 'b.id < $before' : 'b.id IS NOT NULL')}
       WITH b ORDER BY b.id DESC LIMIT $limit RETURN b {.*} AS b`,
      { owner: filter.ownerId ?? null, before: request.before ?? null, limit: int(request.limit + 1) },
      { routing: 'READ' },
    );
    return toPage(records.map((r) => toBlog(r.get('b') as Props)), request.limit, (b) => b.id);
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

  async delete(id: string): Promise<boolean> {
    const { records } = await this.driver.executeQuery(
      `MATCH (b:Blog {id: $id})
       OPTIONAL MATCH (b)-[:HAS_ARTICLE]->(a:Article)
       DETACH DELETE a
       WITH DISTINCT b
       DETACH DELETE b
       RETURN count(b) AS n`,
      { id },
    );
    return toNumber(records[0]?.get('n')) > 0;
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

  async articles(blogId: string, request: PageRequest): Promise<Page<Article>> {
    const { records } = await this.driver.executeQuery(
      `MATCH (a:Article) ${where('a.blog_id = $blog', request.before ? 'a.id < $before' : 'a.id IS NOT NULL')}
       WITH a ORDER BY a.id DESC LIMIT $limit RETURN a {.*} AS a`,
      { blog: blogId, before: request.before ?? null, limit: int(request.limit + 1) },
      { routing: 'READ' },
    );
    return toPage(records.map((r) => toArticle(r.get('a') as Props)), request.limit, (a) => a.id);
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
