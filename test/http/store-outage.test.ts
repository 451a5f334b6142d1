import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config, StoreKind } from '../../internal/app/config.js';
import { buildApp } from '../../internal/app/http/app.js';
import { uniqueUsername } from '../support/builders.js';
import { PASSWORD, problemOf } from '../support/http.js';
import { describeEachStore, testConfig } from '../support/store-matrix.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const ROOT = resolve(import.meta.dirname, '../..');

function urlOf(kind: StoreKind, config: Config): string {
  return kind === 'postgres' ? config.databaseUrl! : kind === 'mongodb' ? config.mongodbUrl! : config.neo4j!.url;
}

function withUrl(kind: StoreKind, config: Config, url: string): Config {
  if (kind === 'postgres') return { ...config, databaseUrl: url };
  if (kind === 'mongodb') return { ...config, mongodbUrl: url };
  return { ...config, neo4j: { ...config.neo4j!, url } };
}

function runServer(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cmd/server.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'silent', ...env },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stderr, stdout });
    });
  });
}

const VARIABLE: Partial<Record<StoreKind, string>> = { postgres: 'DATABASE_URL', mongodb: 'MONGODB_URL', neo4j: 'NEO4J_URL' };
const DEAD_URL: Partial<Record<StoreKind, string>> = {
  postgres: 'postgres://agora:agora@127.0.0.1:1/agora',
  mongodb: 'mongodb://127.0.0.1:1/agora',
  neo4j: 'bolt://127.0.0.1:1',
};

describeEachStore(
  'when the store goes away',
  (kind) => {
    let proxy: TcpProxy;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const test = await testConfig(kind);
      drop = test.drop;
      const target = new URL(urlOf(kind, test.config));
      proxy = new TcpProxy(target.hostname, Number(target.port));
      await proxy.start();
      target.port = String(proxy.port);
      app = await buildApp(withUrl(kind, test.config, target.toString()), { logger: false });
    });
    afterAll(async () => {
      await proxy?.restore().catch(() => {});
      await app?.close();
      await drop?.();
      await proxy?.cut();
    });

    it('then requests get 503 STORE_UNAVAILABLE and /readyz 503, and both recover when it returns', async () => {
      const signUp = () => app.inject({ method: 'POST', url: '/api/users', payload: { username: uniqueUsername(), password: PASSWORD } });
      expect((await signUp()).statusCode).toBe(201);

      await proxy.cut();
      const down = await app.inject('/api/users');
      expect(down.statusCode).toBe(503);
      expect(problemOf(down).code).toBe('STORE_UNAVAILABLE');
      expect(down.body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      const ready = await app.inject('/readyz');
      expect(ready.statusCode).toBe(503);
      expect(ready.json().stores[kind]).toBe('down');

      await proxy.restore();
      const deadline = Date.now() + 20_000;
      let status = 0;
      while (Date.now() < deadline) {
        status = (await app.inject('/api/users')).statusCode;
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe(200);
      expect((await app.inject('/readyz')).statusCode).toBe(200);
      expect((await signUp()).statusCode).toBe(201);
    }, 60_000);

    it('then a server started without it exits 1 with one clear line naming the variable', async () => {
      const result = await runServer({ STORAGE: kind, [VARIABLE[kind]!]: DEAD_URL[kind]!, AUTO_MIGRATE: 'true' });
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^agora: ${VARIABLE[kind]}: cannot reach the ${kind} store`));
    }, 40_000);
  },
  ['postgres', 'mongodb', 'neo4j'],
);

describeEachStore(
  'when the schema is behind',
  (kind) => {
    it('then the server refuses to start, naming the pending migrations, unless AUTO_MIGRATE=true', async () => {
      const { config, drop } = await testConfig(kind, { AUTO_MIGRATE: 'false' });
      try {
        const result = await runServer({ STORAGE: kind, [VARIABLE[kind]!]: urlOf(kind, config) });
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toMatch(new RegExp(`^agora: ${VARIABLE[kind]}: the ${kind} schema is behind \\(pending: .+\\); run "npm run migrate"`));
      } finally {
        await drop();
      }
    }, 40_000);
  },
  ['postgres', 'mongodb'],
);

describeEachStore(
  'when the configuration is wrong',
  () => {
    it.each([
      [{ STORAGE: 'oracle' }, /^agora: STORAGE="oracle" is invalid: expected one of sqlite, postgres, mongodb, neo4j$/],
      [{ STORAGE: 'postgres' }, /^agora: DATABASE_URL is required/],
      [{ PORT: 'eighty' }, /^agora: PORT="eighty" is invalid/],
      [{ NODE_ENV: 'production' }, /^agora: STORAGE is required when NODE_ENV=production/],
      [{ NODE_ENV: 'production', STORAGE: 'sqlite' }, /^agora: AUTH_SECRET is required/],
      [
        { NODE_ENV: 'production', STORAGE: 'sqlite', AUTH_SECRET: 'change-me-to-a-long-random-secret-of-32-chars-or-more' },
        /^agora: AUTH_SECRET is refused when NODE_ENV=production: it is an example value published in this repository$/,
      ],
      [{ NODE_ENV: 'production', STORAGE: 'sqlite', AUTH_SECRET: 'a'.repeat(40) }, /^agora: AUTH_SECRET is refused when NODE_ENV=production: it has only 1 distinct/],
      [{ STORE_TIMEOUT_MS: '5' }, /^agora: STORE_TIMEOUT_MS="5" is invalid/],
      [{ TRUST_PROXY: 'maybe' }, /^agora: TRUST_PROXY="maybe" is invalid/],
    ])('then %j stops the server with one line', async (env, message) => {
      const result = await runServer(env as Record<string, string>);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr.trim()).toMatch(message);
    }, 40_000);
  },
  ['sqlite'],
);
