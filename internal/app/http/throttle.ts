import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Config } from '../config.js';
import { problem, sendProblem } from './problem.js';
import { declareProblems } from './schemas/common.js';

const MINUTE_MS = 60_000;
const FAILURE_WINDOW_MS = 15 * MINUTE_MS;
/** Usernames remembered at once; the oldest are forgotten first, so memory stays bounded. */
const MAX_TRACKED_USERNAMES = 100_000;

const SIGN_UP = 'POST /api/users';
const LOG_IN = 'POST /api/sessions';

/**
 * Failed log-ins per username (lower-cased) in a 15-minute window from the first failure. Past
 * the limit every try for that name waits out the window (429 with Retry-After), whatever the
 * client address, so guessing one account's password from many addresses stalls too.
 */
class LoginFailures {
  private readonly entries = new Map<string, { count: number; since: number }>();

  constructor(private readonly limit: number) {}

  /** Seconds the username must wait, or 0. */
  wait(username: string, now: number): number {
    const entry = this.entries.get(username);
    if (!entry) return 0;
    if (now - entry.since >= FAILURE_WINDOW_MS) {
      this.entries.delete(username);
      return 0;
    }
    return entry.count >= this.limit ? Math.ceil((entry.since + FAILURE_WINDOW_MS - now) / 1000) : 0;
  }

  failed(username: string, now: number): void {
    const entry = this.entries.get(username);
    if (entry && now - entry.since < FAILURE_WINDOW_MS) {
      entry.count++;
      return;
    }
    this.entries.delete(username);
    if (this.entries.size >= MAX_TRACKED_USERNAMES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(username, { count: 1, since: now });
  }

  succeeded(username: string): void {
    this.entries.delete(username);
  }
}

function usernameOf(request: FastifyRequest): string | undefined {
  const body = request.body as { username?: unknown } | undefined;
  return typeof body?.username === 'string' ? body.username.toLowerCase() : undefined;
}

/**
 * Throttling, all of it configurable (0 turns a limit off): sign-up and log-in per client
 * address, failed log-ins per username, and an optional limit on every API route per address.
 * Operations routes (/healthz, /readyz, /metrics, /docs) are never throttled. Call before any
 * route is registered: the limits attach to routes as they are declared.
 */
export async function registerThrottling(app: FastifyInstance, limits: Config['limits']): Promise<void> {
  const failures = limits.loginFailuresPerUsername > 0 ? new LoginFailures(limits.loginFailuresPerUsername) : null;
  const global = limits.globalPerMinute > 0;

  app.addHook('onRoute', (route: RouteOptions) => {
    const key = `${[route.method].flat().join(',')} ${route.url}`;
    const isAuth = key === SIGN_UP || key === LOG_IN;
    const api = route.url.startsWith('/api/');
    if (isAuth && limits.authPerMinute > 0) {
      route.config = { ...route.config, rateLimit: { max: limits.authPerMinute, timeWindow: MINUTE_MS } };
    } else if (!api) {
      route.config = { ...route.config, rateLimit: false };
    }
    const throttled = (isAuth && limits.authPerMinute > 0) || (api && global) || (key === LOG_IN && failures !== null);
    declareProblems(route.url, route.schema as Parameters<typeof declareProblems>[1], throttled);
    if (key === LOG_IN && failures) attachFailureCount(route, failures);
  });

  if (global || limits.authPerMinute > 0) {
    await app.register(rateLimit, { global, max: limits.globalPerMinute || 1, timeWindow: MINUTE_MS });
  }
}

function attachFailureCount(route: RouteOptions, failures: LoginFailures): void {
  const before = async (request: FastifyRequest, reply: FastifyReply) => {
    const username = usernameOf(request);
    const wait = username === undefined ? 0 : failures.wait(username, Date.now());
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return sendProblem(request, reply, problem(429, 'TOO_MANY_FAILED_LOGINS', 'Too many failed log-ins for this username; wait and retry'));
    }
    return undefined;
  };
  const after = async (request: FastifyRequest, reply: FastifyReply) => {
    const username = usernameOf(request);
    if (username === undefined) return;
    if (reply.statusCode === 401) failures.failed(username, Date.now());
    else if (reply.statusCode === 201) failures.succeeded(username);
  };
  route.preHandler = [before, ...[route.preHandler ?? []].flat()];
  route.onResponse = [...[route.onResponse ?? []].flat(), after];
}
