import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { StoreKind } from '../../internal/app/config.js';
import { buildApp, type BuildOptions } from '../../internal/app/http/app.js';
import { uniqueUsername } from './builders.js';
import { testConfig } from './store-matrix.js';

export interface TestApp {
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The whole service on a fresh database of `kind`. */
export async function openTestApp(kind: StoreKind, env: Record<string, string> = {}, options: BuildOptions = {}): Promise<TestApp> {
  const { config, drop } = await testConfig(kind, env);
  // Load shedding off: a loaded test machine stalls the event loop for reasons no test is about;
  // the suite that tests it passes its own thresholds.
  const app = await buildApp(config, { logger: false, loadShedding: { maxEventLoopDelay: 0 }, ...options });
  return {
    app,
    async close() {
      await app.close();
      await drop();
    },
  };
}

export interface Session {
  token: string;
  id: string;
  username: string;
  headers: { authorization: string };
}

export const PASSWORD = 'correct horse battery';

export async function signUp(app: FastifyInstance, username = uniqueUsername()): Promise<Session> {
  const created = await app.inject({ method: 'POST', url: '/api/users', payload: { username, password: PASSWORD } });
  if (created.statusCode !== 201) throw new Error(`sign-up failed: ${created.statusCode} ${created.body}`);
  const login = await app.inject({ method: 'POST', url: '/api/sessions', payload: { username, password: PASSWORD } });
  if (login.statusCode !== 201) throw new Error(`log-in failed: ${login.statusCode} ${login.body}`);
  const body = login.json<{ token: string; user: { id: string } }>();
  return { token: body.token, id: body.user.id, username, headers: { authorization: `Bearer ${body.token}` } };
}

/** Asserts the response is a problem document and returns it. */
export function problemOf(res: LightMyRequestResponse): { status: number; code: string; errors?: Array<{ field: string }> } {
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected a problem document, got ${res.statusCode} ${res.headers['content-type']}: ${res.body}`);
  }
  return res.json();
}
