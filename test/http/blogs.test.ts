import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../support/builders.js';
import { openTestApp, problemOf, signUp, type Session, type TestApp } from '../support/http.js';
import { describeEachStore } from '../support/store-matrix.js';

const slug = () => `blog-${Math.random().toString(36).slice(2, 10)}`;

describeEachStore('blogs and articles over HTTP', (kind) => {
  let t: TestApp;
  let alice: Session;
  let bob: Session;
  beforeAll(async () => {
    t = await openTestApp(kind);
    alice = await signUp(t.app);
    bob = await signUp(t.app);
  });
  afterAll(() => t?.close());

  const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, s?: Session) =>
    t.app.inject({ method, url, ...(payload ? { payload } : {}), ...(s ? { headers: s.headers } : {}) });
  const createBlog = async (payload: object = {}, s: Session = alice) => {
    const res = await req('POST', '/api/blogs', { name: 'My blog', slug: slug(), ...payload }, s);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  it('when a blog is created with articles, then 201 with Location, and it is found by id and by slug', async () => {
    const s = slug();
    const res = await req('POST', '/api/blogs', { name: 'Travel', slug: s, description: 'Trips', articles: [{ title: 'Day 1', content: '**hello**' }, { content: '<p>two</p>' }] }, alice);
    expect(res.statusCode).toBe(201);
    const blog = res.json();
    expect(res.headers.location).toBe(`/api/blogs/${blog.id}`);
    expect(blog).toMatchObject({ name: 'Travel', slug: s, description: 'Trips', article_count: 2, owner: { username: alice.username } });
    expect(blog.articles).toHaveLength(2);
    const byId = (await req('GET', `/api/blogs/${blog.id}`)).json();
    const bySlug = (await req('GET', `/api/blogs/${s}`)).json();
    expect(byId).toEqual(bySlug);
    expect(byId).not.toHaveProperty('articles');
    const withArticles = (await req('GET', `/api/blogs/${s}?include=articles`)).json();
    expect(withArticles.articles.map((a: { title: string | null }) => a.title)).toEqual([null, 'Day 1']);
    expect(withArticles.articles[1]).toMatchObject({ content: '**hello**', view_count: 0, author: { username: alice.username } });
  });

  it('when a slug is taken, then 409 SLUG_TAKEN and no second blog exists', async () => {
    const blog = await createBlog();
    const res = await req('POST', '/api/blogs', { name: 'Copy', slug: blog.slug, articles: [{ content: 'x' }] }, bob);
    expect(res.statusCode).toBe(409);
    expect(problemOf(res).code).toBe('SLUG_TAKEN');
    expect((await req('GET', `/api/blogs?owner=${bob.username}`)).json().items).toEqual([]);
  });

  it.each([
    ['an upper-case slug', { slug: 'Bad-Slug' }, 'slug'],
    ['an empty name', { name: '' }, 'name'],
    ['a 101-character name', { name: 'n'.repeat(101) }, 'name'],
    ['51 articles', { articles: Array.from({ length: 51 }, () => ({ content: 'x' })) }, 'articles'],
    ['an article without content', { articles: [{ content: 'ok' }, { title: 'no content' }] }, 'articles.1.content'],
    ['an unknown field', { theme: 'dark' }, 'theme'],
  ])('when creating with %s, then 400 naming %s and nothing is created', async (_case, payload, field) => {
    const s = (payload as { slug?: string }).slug ?? slug();
    const res = await req('POST', '/api/blogs', { name: 'Blog', slug: s, ...payload }, alice);
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).errors?.map((e) => e.field)).toContain(field);
    expect((await req('GET', `/api/blogs/${s}`)).statusCode).toBe(404);
  });

  it('when an article is added, read 50 times in parallel, changed and deleted, then each step shows', async () => {
    const blog = await createBlog();
    const added = await req('POST', `/api/blogs/${blog.id}/articles`, { title: 'Hello', content: '<p onclick="x()">hi <script>alert(1)</script></p>' }, alice);
    expect(added.statusCode).toBe(201);
    const article = added.json();
    expect(added.headers.location).toBe(`/api/articles/${article.id}`);
    expect(article.content).toBe('<p>hi </p>');
    await Promise.all(Array.from({ length: 50 }, () => req('GET', `/api/articles/${article.id}`)));
    expect((await req('GET', `/api/articles/${article.id}`)).json().view_count).toBe(51);
    const patched = await req('PATCH', `/api/articles/${article.id}`, { title: null, content: 'new [x](javascript:alert(1))' }, alice);
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ title: null, content: 'new [x](#)' });
    const list = (await req('GET', `/api/blogs/${blog.id}/articles`)).json();
    expect(list.items.map((a: { id: string }) => a.id)).toEqual([article.id]);
    expect((await req('DELETE', `/api/articles/${article.id}`, undefined, alice)).statusCode).toBe(204);
    const gone = await req('GET', `/api/articles/${article.id}`);
    expect(gone.statusCode).toBe(404);
    expect(problemOf(gone).code).toBe('ARTICLE_NOT_FOUND');
  });

  describe('ownership', () => {
    it("when user B changes or deletes user A's blog or article, then 403 and nothing changes; without a token 401", async () => {
      const blog = await createBlog({ articles: [{ title: 'mine', content: 'x' }] });
      const articleId = blog.articles[0].id;
      const attempts = [
        req('PATCH', `/api/blogs/${blog.id}`, { name: 'stolen' }, bob),
        req('DELETE', `/api/blogs/${blog.id}`, undefined, bob),
        req('POST', `/api/blogs/${blog.id}/articles`, { content: 'spam' }, bob),
        req('PATCH', `/api/articles/${articleId}`, { title: 'stolen' }, bob),
        req('DELETE', `/api/articles/${articleId}`, undefined, bob),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.statusCode).toBe(403);
        expect(problemOf(res).code).toBe('FORBIDDEN');
      }
      for (const res of await Promise.all([
        req('PATCH', `/api/blogs/${blog.id}`, { name: 'anon' }),
        req('DELETE', `/api/blogs/${blog.id}`),
        req('POST', '/api/blogs', { name: 'x', slug: slug() }),
        req('DELETE', `/api/articles/${articleId}`),
      ])) {
        expect(res.statusCode).toBe(401);
      }
      const after = (await req('GET', `/api/blogs/${blog.id}?include=articles`)).json();
      expect(after).toMatchObject({ name: 'My blog', article_count: 1 });
      expect(after.articles[0].title).toBe('mine');
    });
  });

  describe('changing and deleting', () => {
    it('when a blog is patched, then the fields change; a taken slug is 409', async () => {
      const blog = await createBlog();
      const other = await createBlog();
      const res = await req('PATCH', `/api/blogs/${blog.id}`, { name: 'Renamed', description: null }, alice);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'Renamed', description: null, slug: blog.slug });
      const clash = await req('PATCH', `/api/blogs/${blog.id}`, { slug: other.slug }, alice);
      expect(clash.statusCode).toBe(409);
      expect((await req('GET', `/api/blogs/${blog.id}`)).json().slug).toBe(blog.slug);
    });

    it.each([
      ['an empty body', {}],
      ['an unknown field', { name: 'ok', colour: 'red' }],
      ['a bad slug', { slug: 'NOPE!' }],
    ])('when a PATCH has %s, then 400 and nothing changes', async (_case, payload) => {
      const blog = await createBlog();
      const res = await req('PATCH', `/api/blogs/${blog.id}`, payload, alice);
      expect(res.statusCode).toBe(400);
      expect((await req('GET', `/api/blogs/${blog.id}`)).json()).toMatchObject({ name: 'My blog', slug: blog.slug });
      const article = (await req('POST', `/api/blogs/${blog.id}/articles`, { content: 'c' }, alice)).json();
      const bad = await req('PATCH', `/api/articles/${article.id}`, payload, alice);
      expect(bad.statusCode).toBe(400);
      expect((await req('GET', `/api/articles/${article.id}`)).json().content).toBe('c');
    });

    it('when a blog is deleted, then it and its articles are gone', async () => {
      const blog = await createBlog({ articles: [{ content: 'a' }, { content: 'b' }] });
      expect((await req('DELETE', `/api/blogs/${blog.id}`, undefined, alice)).statusCode).toBe(204);
      expect((await req('GET', `/api/blogs/${blog.id}`)).statusCode).toBe(404);
      for (const a of blog.articles) expect((await req('GET', `/api/articles/${a.id}`)).statusCode).toBe(404);
      expect((await req('GET', `/api/blogs/${blog.id}/articles`)).statusCode).toBe(404);
      expect((await req('POST', `/api/blogs/${blog.id}/articles`, { content: 'late' }, alice)).statusCode).toBe(404);
    });
  });

  it('when listing blogs, then newest first with owner filter and pages; unknown owner 404', async () => {
    const owner = await signUp(t.app);
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await createBlog({}, owner)).id);
    const first = (await req('GET', `/api/blogs?owner=${owner.username}&limit=2`)).json();
    const second = (await req('GET', `/api/blogs?owner=${owner.username}&limit=2&cursor=${first.next_cursor}`)).json();
    expect([...first.items, ...second.items].map((b: { id: string }) => b.id)).toEqual([...made].reverse());
    expect(second.next_cursor).toBeNull();
    expect((await req('GET', '/api/blogs?owner=nobody0000000')).statusCode).toBe(404);
    expect((await req('GET', `/api/blogs/${newId()}`)).statusCode).toBe(404);
    expect((await req('GET', '/api/blogs?include=articles')).statusCode).toBe(400);
  });
});
