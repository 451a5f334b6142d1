import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, signUp, type TestApp } from '../support/http.js';

/**
 * Swagger UI in a real browser: Debian's Chromium (test/browser/install-chromium.sh) driven by
 * playwright-core, against the whole service on a real socket.
 *
 * The page is opened under a host name that is not loopback (the browser resolves it to
 * 127.0.0.1, so no traffic leaves the machine): Chromium treats localhost and 127.0.0.1 as secure,
 * so a regression that only shows off loopback — helmet's `upgrade-insecure-requests` once sent
 * /docs's scripts to https and left the page blank — is caught here, not by the first user.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HOST = 'agora-docs.test';
const REQUIRED = process.env.REQUIRE_ALL_STORES === '1' || process.env.CI === 'true';
const missing = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (bash test/browser/install-chromium.sh installs it; CHROMIUM_PATH names another)`;
if (missing && !REQUIRED) console.warn(`[browser] skipping the Swagger UI tests: ${missing}`);

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
// A run takes 10-20 s; the margins are for a loaded 2-core machine.
const TIMEOUT = 90_000;
const WAIT = 30_000;

/**
 * The one console error that is not a fault: over plain HTTP off loopback, Chromium says it ignores
 * helmet's Cross-Origin-Opener-Policy (a header for secure origins; behind HTTPS it applies).
 */
const EXPECTED_OVER_HTTP = /^The Cross-Origin-Opener-Policy header has been ignored, because the URL's origin was untrustworthy\./;

/** What went wrong in the page: console errors, uncaught exceptions, CSP violations, failed requests. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !EXPECTED_OVER_HTTP.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
  return problems;
}

describe.skipIf(missing !== undefined && !REQUIRED)('Swagger UI in Chromium (sqlite)', () => {
  let t: TestApp;
  let context: BrowserContext;
  let profile: string;
  let docs: string;

  beforeAll(async () => {
    if (missing) return; // each test fails, saying why
    t = await openTestApp('sqlite');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    docs = `http://${HOST}:${(t.app.server.address() as AddressInfo).port}/docs`;
    profile = mkdtempSync(join(tmpdir(), 'agora-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        // The test's host name is this machine; every other name fails at once, so nothing leaves it.
        `--host-resolver-rules=MAP ${HOST} 127.0.0.1, MAP * ~NOTFOUND`,
      ],
    });
    context.setDefaultTimeout(WAIT);
    // In the page (a string: this project's TypeScript has no DOM types).
    await context.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));",
    });
  }, TIMEOUT);

  /** Under CI=true or REQUIRE_ALL_STORES=1 a missing browser fails each test instead of skipping it. */
  function requireBrowser(): void {
    if (missing) throw new Error(`${missing}; REQUIRE_ALL_STORES=1 / CI=true do not allow skipping the browser tests`);
  }

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.close();
  });

  it('when /docs is opened over plain HTTP on a non-loopback host, then every operation of the OpenAPI document is rendered, with no error', async () => {
    requireBrowser();
    const doc = (await t.app.inject('/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item).filter((key) => HTTP_METHODS.has(key)));
    expect(operations.length).toBeGreaterThan(20);

    const page = await context.newPage();
    const problems = watch(page);
    const answer = await page.goto(docs, { waitUntil: 'load' });
    expect(answer?.status()).toBe(200);
    expect(new URL(page.url()).protocol).toBe('http:');
    await expect.poll(() => page.locator('.opblock').count(), { timeout: WAIT }).toBe(operations.length).catch((error: unknown) => {
      expect(problems, 'what went wrong in the page').toEqual([]);
      throw error;
    });
    await expect.poll(() => page.locator('.opblock-summary-path').count()).toBe(operations.length);
    expect(await page.locator('.info .title').innerText()).toContain('Agora API');
    expect(problems).toEqual([]);
    await page.close();
  }, TIMEOUT);

  it('when a token is given to "Authorize" and the following feed is tried out, then the request carries it and answers 200', async () => {
    requireBrowser();
    const reader = await signUp(t.app);
    const author = await signUp(t.app);
    expect((await t.app.inject({ method: 'POST', url: `/api/users/${author.username}/follow`, headers: reader.headers })).statusCode).toBe(204);
    const content = `seen through Swagger UI ${author.username}`;
    expect((await t.app.inject({ method: 'POST', url: '/api/posts', headers: author.headers, payload: { content } })).statusCode).toBe(201);

    const page = await context.newPage();
    const problems = watch(page);
    const feedRequests: Array<{ url: string; authorization: string | undefined }> = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/posts') feedRequests.push({ url: request.url(), authorization: request.headers().authorization });
    });
    await page.goto(docs, { waitUntil: 'load' });

    await page.locator('button.authorize').first().click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.locator('input[type=text], input[type=password]').first().fill(reader.token);
    await dialog.locator('button.authorize').click();
    await expect.poll(() => dialog.locator('button[aria-label="Remove authorization"]').count()).toBe(1);
    await dialog.locator('button.btn-done').click();

    // The feed: GET /api/posts (its query has `following`, a boolean).
    const feed = page.locator('.opblock.opblock-get').filter({ has: page.locator('.opblock-summary-path[data-path="/api/posts"]') });
    expect(await feed.count()).toBe(1);
    await feed.locator('.opblock-summary').click();
    await feed.locator('.try-out__btn').click();
    await feed.locator('tr[data-param-name="following"][data-param-in="query"] select').selectOption('true');
    await feed.locator('button.execute').click();

    const live = feed.locator('.responses-wrapper .live-responses-table tbody .response');
    await expect.poll(() => live.locator('.response-col_status').innerText().catch(() => ''), { timeout: WAIT }).toBe('200');
    expect(await live.locator('.response-col_description').innerText()).toContain(content);
    expect(feedRequests).toHaveLength(1);
    expect(new URL(feedRequests[0]!.url).searchParams.get('following')).toBe('true');
    expect(feedRequests[0]!.authorization).toBe(`Bearer ${reader.token}`);
    expect(problems).toEqual([]);
    await page.close();
  }, TIMEOUT);
});
