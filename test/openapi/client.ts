/**
 * A small hand-written client over the types openapi-typescript generates from the live OpenAPI
 * document. test/http/openapi.test.ts generates them into a temporary directory, maps the module
 * name `agora-openapi` to that file and runs `tsc --noEmit` on this file: when the published
 * document stops describing what a client needs (operationIds, named schemas, exact request
 * bodies), this stops compiling. It is not part of the main typecheck (tsconfig.json excludes
 * test/openapi), since the generated module exists only during that test.
 */
import type { components, operations, paths } from 'agora-openapi';

type Schemas = components['schemas'];
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type Post = Schemas['Post'];
export type PostPage = Schemas['PostPage'];
export type Problem = Schemas['Problem'];
export type NewPost = operations['createPost']['requestBody']['content']['application/json'];
type Created = paths['/api/posts']['post']['responses'][201]['content']['application/json'];
type Feed = paths['/api/posts']['get']['responses'][200]['content']['application/json'];
type FeedQuery = NonNullable<operations['listPosts']['parameters']['query']>;

// The operations are named (an unnamed document generates `Record<string, never>`), and the
// paths and the named operations agree.
export type _NamedOperations = Assert<string extends keyof operations ? false : true>;
export type _SameOperation = Assert<Equal<paths['/api/posts']['post'], operations['createPost']>>;
// Responses refer to the named schemas rather than inline copies.
export type _CreatedIsPost = Assert<Equal<Created, Post>>;
export type _FeedIsPage = Assert<Equal<Feed, PostPage>>;
export type _ItemsArePosts = Assert<Equal<PostPage['items'][number], Post>>;
export type _EmbeddedAuthor = Assert<Equal<NonNullable<Post['original']>['author'], Schemas['UserSummary']>>;
export type _Kind = Assert<Equal<Post['kind'], 'original' | 'repost' | 'quote'>>;
export type _Profile = Assert<Equal<operations['getProfile']['responses'][200]['content']['application/json'], Schemas['Profile']>>;
export type _Session = Assert<Equal<operations['logIn']['responses'][201]['content']['application/json']['user'], Schemas['User']>>;
export type _NotFound = Assert<Equal<operations['getPost']['responses'][404]['content']['application/problem+json'], Problem>>;

// A post is exactly one of three shapes.
export const original: NewPost = { content: 'Hello' };
export const repost: NewPost = { repost_of: '019a7c3e-2b1f-7c4e-9a1d-3f5e8b2c1a0d' };
export const quote: NewPost = { quote_of: '019a7c3e-2b1f-7c4e-9a1d-3f5e8b2c1a0d', content: 'Well said.' };
// @ts-expect-error a post needs content, repost_of or quote_of
export const empty: NewPost = {};
// @ts-expect-error content is text
export const numeric: NewPost = { content: 42 };

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
  }
}

export class AgoraClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!res.ok) throw new ApiError((await res.json()) as Problem);
    return (await res.json()) as T;
  }

  /** operationId createPost: POST /api/posts. */
  createPost(body: NewPost): Promise<Created> {
    return this.call('POST', '/api/posts', body);
  }

  /** operationId listPosts: GET /api/posts. */
  listPosts(query: FeedQuery = {}): Promise<Feed> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const search = params.size > 0 ? `?${params}` : '';
    return this.call('GET', `/api/posts${search}`);
  }

  /** operationId followUser: POST /api/users/{username}/follow (204: nothing to read). */
  async followUser(username: operations['followUser']['parameters']['path']['username']): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/users/${encodeURIComponent(username)}/follow`, {
      method: 'POST',
      headers: this.token === undefined ? {} : { authorization: `Bearer ${this.token}` },
    });
    if (!res.ok) throw new ApiError((await res.json()) as Problem);
  }
}

/** What a caller writes: the generated types carry the fields through, nullability included. */
export async function quoteTheLatest(client: AgoraClient, text: string): Promise<string | null> {
  const page = await client.listPosts({ limit: 1 });
  const latest = page.items[0];
  if (latest === undefined) return null;
  const created = await client.createPost({ quote_of: latest.id, content: text });
  const author: string = created.author.username;
  const quoted: string | null = created.original?.content ?? null;
  return `${author} quoted: ${quoted ?? '(a repost)'}`;
}
