import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Article, Blog } from '../../internal/domain/blogs/blog.js';
import type { BlogRepository } from '../../internal/domain/blogs/blog-repository.js';
import { SlugTakenError } from '../../internal/domain/blogs/errors.js';
import { newId } from '../support/builders.js';
import { describeEachStore, openTestStore, providing, type TestStore } from '../support/store-matrix.js';
import { MALFORMED_IDS } from './malformed-ids.js';

function buildBlog(overrides: Partial<Blog> = {}): Blog {
  const at = overrides.createdAt ?? new Date();
  return {
    id: newId(at),
    ownerId: newId(),
    name: 'Field notes',
    slug: `notes-${Math.random().toString(36).slice(2, 10)}`,
    description: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

function buildArticle(blog: Blog, overrides: Partial<Article> = {}): Article {
  const at = overrides.createdAt ?? new Date();
  return { id: newId(at), blogId: blog.id, authorId: blog.ownerId, title: null, content: '<p>hi</p>', viewCount: 0, createdAt: at, updatedAt: at, ...overrides };
}

export function blogRepositoryContract(open: () => Promise<TestStore>): void {
  let t: TestStore;
  let blogs: BlogRepository;
  beforeAll(async () => {
    t = await open();
    blogs = t.store.ports.blogs();
  });
  afterAll(() => t?.close());

  it('stores a blog with its articles, found by id and by slug, with counts', async () => {
    const blog = buildBlog({ description: 'about things' });
    const articles = [0, 1, 2].map((i) => buildArticle(blog, { title: `t${i}`, createdAt: new Date(Date.now() + i) }));
    await blogs.createWithArticles(blog, articles);
    expect(await blogs.findById(blog.id)).toEqual(blog);
    expect(await blogs.findBySlug(blog.slug)).toEqual(blog);
    expect((await blogs.articleCounts([blog.id, newId()])).get(blog.id)).toBe(3);
    const page = await blogs.articles(blog.id, { limit: 2 });
    expect(page.items.map((a) => a.id)).toEqual([articles[2]!.id, articles[1]!.id]);
    const rest = await blogs.articles(blog.id, { limit: 2, before: page.next! });
    expect(rest.items.map((a) => a.id)).toEqual([articles[0]!.id]);
    expect(rest.next).toBeNull();
    expect(await blogs.findArticle(articles[0]!.id)).toEqual(articles[0]);
    expect(await blogs.findBySlug('no-such-slug-anywhere')).toBeNull();
  });

  it('refuses a taken slug, and lets exactly one of parallel creates with one slug win', async () => {
    const first = buildBlog();
    await blogs.createWithArticles(first, []);
    await expect(blogs.createWithArticles(buildBlog({ slug: first.slug }), [])).rejects.toBeInstanceOf(SlugTakenError);
    const slug = buildBlog().slug;
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => blogs.createWithArticles(buildBlog({ slug }), [])));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(SlugTakenError);
  });

  it('when article 7 of 10 fails, leaves no blog and no articles', async () => {
    const blog = buildBlog();
    const articles = Array.from({ length: 10 }, () => buildArticle(blog));
    articles[6] = { ...articles[6]!, id: articles[2]!.id };
    await expect(blogs.createWithArticles(blog, articles)).rejects.toThrow();
    expect(await blogs.findById(blog.id)).toBeNull();
    expect(await blogs.findBySlug(blog.slug)).toBeNull();
    for (const a of articles) expect(await blogs.findArticle(a.id)).toBeNull();
    expect((await blogs.articles(blog.id, { limit: 100 })).items).toEqual([]);
    expect((await blogs.articleCounts([blog.id])).get(blog.id) ?? 0).toBe(0);
    await blogs.createWithArticles(buildBlog({ slug: blog.slug }), []);
  });

  it('updates a blog, refusing a taken slug and leaving it unchanged', async () => {
    const a = buildBlog();
    const b = buildBlog();
    await blogs.createWithArticles(a, []);
    await blogs.createWithArticles(b, []);
    const renamed = await blogs.update({ ...a, name: 'Renamed', slug: `${a.slug}-x`, updatedAt: new Date(Date.now() + 5) });
    expect(renamed).toMatchObject({ name: 'Renamed', slug: `${a.slug}-x` });
    await expect(blogs.update({ ...b, slug: `${a.slug}-x` })).rejects.toBeInstanceOf(SlugTakenError);
    expect(await blogs.findById(b.id)).toEqual(b);
    expect(await blogs.update(buildBlog())).toBeNull();
  });

  it('deletes a blog with every article, leaving no orphan', async () => {
    const blog = buildBlog();
    const first = [buildArticle(blog), buildArticle(blog)];
    await blogs.createWithArticles(blog, first);
    const added = buildArticle(blog);
    expect(await blogs.addArticle(added)).toBe(true);
    expect(await blogs.delete(blog.id)).toBe(true);
    expect(await blogs.delete(blog.id)).toBe(false);
    for (const a of [...first, added]) expect(await blogs.findArticle(a.id)).toBeNull();
    expect((await blogs.articles(blog.id, { limit: 10 })).items).toEqual([]);
    expect(await blogs.addArticle(buildArticle(blog))).toBe(false);
  });

  it('counts 50 parallel views exactly', async () => {
    const blog = buildBlog();
    const article = buildArticle(blog);
    await blogs.createWithArticles(blog, [article]);
    await Promise.all(Array.from({ length: 50 }, () => blogs.viewArticle(article.id)));
    expect((await blogs.findArticle(article.id))?.viewCount).toBe(50);
    expect(await blogs.viewArticle(newId())).toBeNull();
  });

  it('updates and deletes an article', async () => {
    const blog = buildBlog();
    const article = buildArticle(blog);
    await blogs.createWithArticles(blog, [article]);
    const updated = await blogs.updateArticle({ ...article, title: 'New', content: 'changed', updatedAt: new Date(Date.now() + 9) });
    expect(updated).toMatchObject({ title: 'New', content: 'changed', viewCount: 0 });
    expect(await blogs.deleteArticle(article.id)).toBe(true);
    expect(await blogs.deleteArticle(article.id)).toBe(false);
    expect(await blogs.updateArticle(article)).toBeNull();
  });

  it.each(MALFORMED_IDS)('when an id is malformed (%j), then it names no blog, owner or article, and nothing fails', async (id) => {
    const blog = buildBlog();
    const article = buildArticle(blog);
    await blogs.createWithArticles(blog, [article]);
    expect(await blogs.findById(id)).toBeNull();
    expect(await blogs.update({ ...blog, id, slug: `${blog.slug}-y` })).toBeNull();
    expect(await blogs.delete(id)).toBe(false);
    expect((await blogs.articleCounts([id, blog.id])).get(id) ?? 0).toBe(0);
    expect(await blogs.page({ ownerId: id }, { limit: 10 })).toEqual({ items: [], next: null });
    expect(await blogs.addArticle(buildArticle({ ...blog, id }))).toBe(false);
    expect(await blogs.findArticle(id)).toBeNull();
    expect(await blogs.viewArticle(id)).toBeNull();
    expect(await blogs.updateArticle({ ...article, id })).toBeNull();
    expect(await blogs.deleteArticle(id)).toBe(false);
    expect(await blogs.articles(id, { limit: 10 })).toEqual({ items: [], next: null });
    expect(await blogs.findById(blog.id)).toEqual(blog);
    expect(await blogs.findArticle(article.id)).toEqual(article);
  });

  it('pages blogs newest first, optionally by owner, without gaps', async () => {
    const owner = newId();
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) {
      const blog = buildBlog({ ownerId: owner, createdAt: new Date(Date.now() + i) });
      await blogs.createWithArticles(blog, []);
      mine.push(blog.id);
    }
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = await blogs.page({ ownerId: owner }, { limit: 2, ...(before ? { before } : {}) });
      seen.push(...page.items.map((b) => b.id));
      before = page.next ?? undefined;
    } while (before);
    expect(seen).toEqual([...mine].reverse());
    const all = await blogs.page({}, { limit: 100 });
    expect(all.items.filter((b) => mine.includes(b.id)).map((b) => b.id)).toEqual([...mine].reverse());
  });
}

describeEachStore('BlogRepository contract', (kind) => blogRepositoryContract(() => openTestStore(kind)), providing('blogs'));
