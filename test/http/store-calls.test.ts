import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { timelineWorkerOf } from '../../internal/app/http/app.js';
import { createMetrics } from '../../internal/app/http/metrics.js';
import { openTestApp, signUp, type Session, type TestApp } from '../support/http.js';
import { describeEachStore } from '../support/store-matrix.js';

const slug = () => `calls-${Math.random().toString(36).slice(2, 10)}`;

/** `repository.method` → calls, from the `agora_store_query_duration_seconds` counts of a /metrics scrape. */
function storeCallCounts(exposition: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of exposition.matchAll(/^agora_store_query_duration_seconds_count\{store="[^"]*",repository="([^"]*)",method="([^"]*)"\} (\d+)$/gm)) {
    counts.set(`${m[1]}.${m[2]}`, Number(m[3]));
  }
  return counts;
}

function tally(calls: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call, (counts.get(call) ?? 0) + 1);
  return counts;
}

/**
 * The store calls a request makes, in the order they start: every repository the app uses is the
 * real store's, wrapped in the metrics Proxy (`instrument`); this records each call it times.
 */
describeEachStore('store calls of the write routes', (kind) => {
  let t: TestApp;
  let alice: Session;
  let bob: Session;
  const calls: string[] = [];
  beforeAll(async () => {
    const metrics = createMetrics();
    // `instrument` times each method through its labelled child: record each start of one.
    const labels = metrics.storeQuery.labels.bind(metrics.storeQuery) as (l: Record<string, string>) => ReturnType<typeof metrics.storeQuery.labels>;
    metrics.storeQuery.labels = ((l: Record<string, string>) => {
      const child = labels(l);
      return { ...child, startTimer: () => (calls.push(`${l.repository}.${l.method}`), child.startTimer()) };
    }) as typeof metrics.storeQuery.labels;
    t = await openTestApp(kind, {}, { metrics });
    await t.app.ready();
    // The timelines' worker runs after the response: stopped here, so only the requests' own calls are seen.
    await timelineWorkerOf(t.app).stop();
    alice = await signUp(t.app);
    bob = await signUp(t.app);
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    calls.length = 0;
  });

  /** The request's answer and its store calls, checked against the /metrics counts it added. */
  async function measured(send: () => Promise<LightMyRequestResponse>): Promise<{ res: LightMyRequestResponse; made: string[] }> {
    const before = storeCallCounts((await t.app.inject('/metrics')).body);
    calls.length = 0;
    const res = await send();
    const made = [...calls];
    const after = storeCallCounts((await t.app.inject('/metrics')).body);
    const added = new Map([...after].map(([key, n]) => [key, n - (before.get(key) ?? 0)]).filter(([, n]) => n !== 0) as Array<[string, number]>);
    expect(added).toEqual(tally(made));
    return { res, made };
  }

  const post = (s: Session, payload: object) => t.app.inject({ method: 'POST', url: '/api/posts', payload, headers: s.headers });

  it('when an original is posted, then the token is checked, the fan-out queued before the write and nothing after it: nothing read', async () => {
    const { res, made } = await measured(() => post(alice, { content: 'counted' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(made).toEqual(['users.findBySession', 'timelines.enqueue', 'posts.createInDailySlot']);
    expect((await t.app.inject(`/api/posts/${res.json().id}`)).json()).toEqual(res.json());
  });

  it.each([
    ['repost', (id: string) => ({ repost_of: id }), 'repost_count'],
    ['quote', (id: string) => ({ quote_of: id, content: 'quoted' }), 'quote_count'],
  ] as const)('when a %s is posted, then the original is read before the write and nothing after it', async (_kind, payload, counter) => {
    const original = (await post(alice, { content: 'to be referenced' })).json();
    const { res, made } = await measured(() => post(bob, payload(original.id)));
    expect(res.statusCode, res.body).toBe(201);
    expect(made).toEqual(['users.findBySession', 'posts.findById', 'timelines.enqueue', 'posts.createInDailySlot']);
    // The original as the answer shows it is the original as it now stands, this post counted.
    const stored = (await t.app.inject(`/api/posts/${original.id}`)).json();
    expect(stored[counter]).toBe(1);
    const { original: embedded, ...own } = res.json();
    expect(embedded).toEqual({ ...stored, original: undefined, original_id: null });
    expect((await t.app.inject(`/api/posts/${own.id}`)).json()).toEqual(res.json());
  });

  it('when a post, the all feed or a timeline page is read, then one store call answers it', async () => {
    const original = (await post(alice, { content: 'read me' })).json();
    await post(bob, { quote_of: original.id, content: 'and me' });
    expect((await measured(() => t.app.inject(`/api/posts/${original.id}`))).made).toEqual(['posts.findById']);
    expect((await measured(() => t.app.inject('/api/posts?limit=5'))).made).toEqual(['posts.page']);
    // Bob's timeline, once built, answers his following feed: in one call where the store holds
    // timelines and posts and reads them together (TimelinePages: the SQL stores and Neo4j), and
    // that call confirms his token's session too; else the session, the page's ids, then their views.
    await t.app.inject({ method: 'POST', url: `/api/users/${alice.username}/follow`, headers: bob.headers });
    const feed = () => t.app.inject({ url: '/api/posts?following=true', headers: bob.headers });
    await feed();
    await timelineWorkerOf(t.app).drain();
    const { res, made } = await measured(feed);
    const items = res.json().items as Array<{ id: string; author: { id: string } }>;
    expect(items[0]?.id).toBe(original.id);
    expect(items.every((p) => p.author.id === alice.id)).toBe(true);
    const onePageCall = kind === 'sqlite' || kind === 'postgres' || kind === 'neo4j';
    expect(made).toEqual(onePageCall ? ['timeline_pages.read'] : ['users.findBySession', 'timelines.read', 'posts.findManyByIds']);
  });

  it('when a blog is patched, then ownership and the article count are read before the update and nothing after it', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/blogs',
      payload: { name: 'Counted', slug: slug(), articles: [{ content: 'one' }, { content: 'two' }] },
      headers: alice.headers,
    });
    const blog = created.json();
    const { res, made } = await measured(() =>
      t.app.inject({ method: 'PATCH', url: `/api/blogs/${blog.id}`, payload: { name: 'Renamed' }, headers: alice.headers }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(made).toEqual(['users.findBySession', 'blogs.findById', 'blogs.articleCounts', 'blogs.update']);
    expect(res.json()).toMatchObject({ name: 'Renamed', article_count: 2, owner: { id: alice.id, username: alice.username } });
    expect((await t.app.inject(`/api/blogs/${blog.id}`)).json()).toEqual(res.json());
  });
});
