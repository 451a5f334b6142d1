import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../support/http.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const BIN = join(ROOT, 'node_modules/.bin');

type Schema = { $ref?: string; type?: string; items?: Schema; properties?: Record<string, Schema>; example?: unknown };
interface Media {
  schema: Schema;
  examples?: Record<string, { value: Record<string, unknown> }>;
}
interface Operation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** The published names, one per operation: client code calls these, so they never change. */
const OPERATION_IDS: Record<string, string> = {
  'POST /api/users': 'signUp',
  'GET /api/users': 'listUsers',
  'POST /api/sessions': 'logIn',
  'DELETE /api/sessions': 'logOutEverywhere',
  'DELETE /api/sessions/current': 'logOut',
  'GET /api/me': 'getMyProfile',
  'GET /api/users/{username}': 'getProfile',
  'POST /api/users/{username}/follow': 'followUser',
  'DELETE /api/users/{username}/follow': 'unfollowUser',
  'GET /api/users/{username}/followers': 'listFollowers',
  'GET /api/users/{username}/following': 'listFollowing',
  'POST /api/posts': 'createPost',
  'GET /api/posts': 'listPosts',
  'GET /api/posts/{id}': 'getPost',
  'POST /api/blogs': 'createBlog',
  'GET /api/blogs': 'listBlogs',
  'GET /api/blogs/{id}': 'getBlog',
  'PATCH /api/blogs/{id}': 'updateBlog',
  'DELETE /api/blogs/{id}': 'deleteBlog',
  'POST /api/blogs/{id}/articles': 'createArticle',
  'GET /api/blogs/{id}/articles': 'listArticles',
  'GET /api/articles/{id}': 'getArticle',
  'PATCH /api/articles/{id}': 'updateArticle',
  'DELETE /api/articles/{id}': 'deleteArticle',
  'POST /api/listings': 'createListing',
  'GET /api/listings': 'listListings',
  'GET /api/listings/{id}': 'getListing',
  'PUT /api/listings/{id}': 'replaceListing',
  'DELETE /api/listings/{id}': 'deleteListing',
  'GET /api/listings/{id}/prices': 'getPriceHistory',
  'GET /healthz': 'getLiveness',
  'GET /readyz': 'getReadiness',
  'GET /metrics': 'getMetrics',
};

const NAMED = [
  'User', 'UserPage', 'UserSummary', 'Profile', 'Session', 'Post', 'EmbeddedPost', 'PostPage', 'Blog', 'BlogPage',
  'Article', 'ArticlePage', 'Listing', 'ListingPage', 'PostalAddress', 'PricePoint', 'Problem', 'Health',
];

/** Runs a program to its end; a non-zero exit is an answer here, not a throw. */
function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('the OpenAPI document, as a client generator reads it (sqlite)', () => {
  let t: TestApp;
  let doc: Document;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    t = await openTestApp('sqlite');
    const res = await t.app.inject('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    doc = res.json<Document>();
    dir = await mkdtemp(join(tmpdir(), 'agora-openapi-'));
    file = join(dir, 'openapi.json');
    await writeFile(file, res.body);
  });
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));

  it('when the operations are listed, then each has a unique camelCase operationId, the published ones unchanged', () => {
    const all = operations();
    expect(all.length).toBeGreaterThanOrEqual(Object.keys(OPERATION_IDS).length);
    const ids = all.map(({ key, op }) => {
      expect(op.operationId, key).toMatch(/^[a-z][A-Za-z0-9]*$/);
      return op.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
    const published = Object.fromEntries(all.filter(({ key }) => key in OPERATION_IDS).map(({ key, op }) => [key, op.operationId]));
    expect(published).toEqual(OPERATION_IDS);
  });

  it('when resources and pages are described, then each is one named component and every JSON success refers to one', () => {
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(NAMED));
    for (const { key, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        const schema = response.content?.['application/json']?.schema;
        if (!status.startsWith('2') || !schema) continue;
        const ref = schema.type === 'array' ? schema.items?.$ref : schema.$ref;
        expect(ref, `${key} ${status}`).toMatch(/^#\/components\/schemas\/[A-Za-z]+$/);
      }
    }
    // The post's shape is written once: in Post (and EmbeddedPost, its one-level-deep copy).
    const postShapes = Object.entries(doc.components.schemas).filter(([, s]) => s.properties?.repost_count !== undefined);
    expect(postShapes.map(([name]) => name).sort()).toEqual(['EmbeddedPost', 'Post']);
    expect(JSON.stringify(doc.paths)).not.toContain('"repost_count"');
  });

  it('when an operation is public, then its security is [], and optional-auth ones take an optional bearer token', () => {
    const byId: Record<string, Operation> = Object.fromEntries(operations().map(({ op }) => [op.operationId, op]));
    for (const [id, op] of Object.entries(byId)) expect(op.security, id).toBeDefined();
    const optional = Object.entries(byId).filter(([, op]) => JSON.stringify(op.security) === JSON.stringify([{ bearer: [] }, {}]));
    expect(optional.map(([id]) => id).sort()).toEqual(['getProfile', 'listPosts']);
    for (const id of ['signUp', 'logIn', 'getPost', 'listBlogs', 'getListing', 'getLiveness', 'getMetrics']) expect(byId[id]!.security, id).toEqual([]);
    for (const id of ['createPost', 'followUser', 'getMyProfile', 'logOut']) expect(byId[id]!.security, id).toEqual([{ bearer: [] }]);
  });

  it('when /metrics is described, then as text/plain', () => {
    expect(Object.keys(doc.paths['/metrics']!.get!.responses['200']!.content!)).toEqual(['text/plain']);
  });

  it('when examples are shown, then a new post sends one shape at a time and a problem a real status', () => {
    const examples = doc.paths['/api/posts']!.post!.requestBody!.content['application/json']!.examples!;
    expect(Object.values(examples).map((e) => Object.keys(e.value).sort())).toEqual([['content'], ['repost_of'], ['content', 'quote_of']]);
    const problem = doc.components.schemas.Problem!.example as { status: number };
    expect(problem.status).toBeGreaterThanOrEqual(400);
    expect(problem.status).toBeLessThan(600);
  });

  it('when redocly lints the document with redocly.yaml, then it finds no error', async () => {
    const { code, stdout, stderr } = await run(join(BIN, 'redocly'), ['lint', '--format=json', `--config=${join(ROOT, 'redocly.yaml')}`, file]);
    const report = JSON.parse(stdout || '{}') as { totals?: { errors: number; warnings: number }; problems?: Array<{ ruleId: string; severity: string; message: string }> };
    expect(report.totals, stderr).toBeDefined();
    const errors = report.problems!.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`);
    console.info(`[openapi] redocly lint: ${report.totals!.errors} errors, ${report.totals!.warnings} warnings over ${operations().length} operations`);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
  }, 60_000);

  it('when TypeScript types are generated from it, then they name every operation and a typed client compiles against them', async () => {
    const types = astToString(await openapiTS(doc as unknown as OpenAPI3, { silent: true }));
    expect(types).toMatch(/export interface operations \{/);
    expect(types).not.toMatch(/export type operations = Record<string, never>/);
    for (const id of Object.values(OPERATION_IDS)) expect(types, id).toContain(`    ${id}: {`);
    const generated = join(dir, 'agora-openapi.d.ts');
    await writeFile(generated, types);
    // The main compiler options (strict, NodeNext), with `agora-openapi` mapped to the generated file.
    const tsconfig = join(dir, 'tsconfig.json');
    await writeFile(tsconfig, JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: { noEmit: true, typeRoots: [join(ROOT, 'node_modules/@types')], paths: { 'agora-openapi': [generated] } },
      files: [join(ROOT, 'test/openapi/client.ts')],
      include: [],
      exclude: [],
    }));
    const { code, stdout, stderr } = await run(join(BIN, 'tsc'), ['-p', tsconfig]);
    expect(`${stdout}${stderr}`).toBe('');
    expect(code).toBe(0);
  }, 120_000);
});
