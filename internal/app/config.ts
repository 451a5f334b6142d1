import { randomBytes } from 'node:crypto';
import { DEFAULT_POSTING_RULES, type PostingRules } from '../domain/posts/post.js';

export const STORE_KINDS = ['sqlite', 'postgres', 'mongodb', 'neo4j'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export const MODULES = ['users', 'follows', 'posts', 'blogs', 'listings'] as const;
export type ModuleName = (typeof MODULES)[number];

/** The stores this build can serve; a STORAGE naming another is refused at start. */
export const SUPPORTED_STORES: readonly StoreKind[] = ['sqlite', 'postgres', 'mongodb', 'neo4j'];

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  storage: Record<ModuleName, StoreKind>;
  sqlitePath: string;
  databaseUrl: string | undefined;
  pgPoolSize: number;
  mongodbUrl: string | undefined;
  neo4j: { url: string; user: string; password: string } | undefined;
  /** Apply pending migrations at start (an in-memory SQLite is always migrated: it starts empty). */
  autoMigrate: boolean;
  authSecret: string;
  authSecretGenerated: boolean;
  tokenTtlSeconds: number;
  passwordHashCost: number;
  posting: PostingRules;
  /** The longest one store call may take before the request answers 503. */
  storeTimeoutMs: number;
  /** Trust X-Forwarded-For: false, true (every hop), or the number of proxies in front. */
  trustProxy: boolean | number;
  limits: {
    /** Requests per minute per client address on every API route; 0 turns it off. */
    globalPerMinute: number;
    /** Sign-ups and log-ins (each) per minute per client address; 0 turns it off. */
    authPerMinute: number;
    /** Failed log-ins per username in 15 minutes before further tries wait; 0 turns it off. */
    loginFailuresPerUsername: number;
    /** Password hashes computed at once; more wait in a queue. */
    hashConcurrency: number;
    /** Password hashes allowed to wait; beyond that the request answers 503 at once. */
    hashQueue: number;
  };
}

/** A configuration problem, worded as the one line the process prints before it exits. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name}="${raw}" is invalid: expected an integer from ${min} to ${max}`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name}="${raw}" is invalid: expected one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

function storeKind(env: Env, name: string, fallback: StoreKind): StoreKind {
  const kind = oneOf(env, name, STORE_KINDS, fallback);
  if (!SUPPORTED_STORES.includes(kind)) {
    throw new ConfigError(`${name}="${kind}" is not supported yet: supported stores are ${SUPPORTED_STORES.join(', ')}`);
  }
  return kind;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const storage = storeKind(env, 'STORAGE', 'sqlite');
  const perModule = Object.fromEntries(
    MODULES.map((m) => [m, storeKind(env, `STORAGE_${m.toUpperCase()}`, storage)]),
  ) as Record<ModuleName, StoreKind>;
  const used = new Set(Object.values(perModule));

  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  if (used.has('postgres') && !databaseUrl) throw new ConfigError('DATABASE_URL is required when a module is stored in postgres');
  const mongodbUrl = url(env, 'MONGODB_URL', ['mongodb:', 'mongodb+srv:']);
  if (used.has('mongodb') && !mongodbUrl) throw new ConfigError('MONGODB_URL is required when a module is stored in mongodb');
  const neo4jUrl = url(env, 'NEO4J_URL', ['bolt:', 'neo4j:', 'bolt+s:', 'neo4j+s:', 'bolt+ssc:', 'neo4j+ssc:']);
  if (used.has('neo4j') && !neo4jUrl) throw new ConfigError('NEO4J_URL is required when a module is stored in neo4j');

  const secret = read(env, 'AUTH_SECRET');
  if (secret !== undefined && secret.length < 32) throw new ConfigError('AUTH_SECRET is too short: use at least 32 characters');
  if (nodeEnv === 'production') {
    if (read(env, 'STORAGE') === undefined) {
      throw new ConfigError('STORAGE is required when NODE_ENV=production (an in-memory SQLite loses every write on restart)');
    }
    if (secret === undefined) throw new ConfigError('AUTH_SECRET is required when NODE_ENV=production');
    const weakness = secretWeakness(secret);
    if (weakness) throw new ConfigError(`AUTH_SECRET is refused when NODE_ENV=production: ${weakness}`);
  }

  const sqlitePath = read(env, 'SQLITE_PATH') ?? ':memory:';
  const autoMigrate = oneOf(env, 'AUTO_MIGRATE', ['true', 'false'], 'false') === 'true';

  return {
    env: nodeEnv,
    host: read(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    storage: perModule,
    sqlitePath,
    databaseUrl,
    pgPoolSize: integer(env, 'PG_POOL_SIZE', 10, 1, 1000),
    mongodbUrl,
    neo4j: neo4jUrl
      ? { url: neo4jUrl, user: read(env, 'NEO4J_USER') ?? 'neo4j', password: read(env, 'NEO4J_PASSWORD') ?? '' }
      : undefined,
    autoMigrate,
    authSecret: secret ?? randomBytes(32).toString('base64url'),
    authSecretGenerated: secret === undefined,
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 86_400, 60, 31_536_000),
    passwordHashCost: 2 ** integer(env, 'PASSWORD_HASH_LOG2_COST', 15, 10, 20),
    posting: {
      maxLength: integer(env, 'POST_MAX_LENGTH', DEFAULT_POSTING_RULES.maxLength, 1, 100_000),
      dailyLimit: integer(env, 'DAILY_POST_LIMIT', DEFAULT_POSTING_RULES.dailyLimit, 1, 10_000),
    },
    storeTimeoutMs: integer(env, 'STORE_TIMEOUT_MS', 5_000, 100, 600_000),
    trustProxy: trustProxy(env),
    limits: {
      globalPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 0, 0, 1_000_000),
      authPerMinute: integer(env, 'AUTH_RATE_LIMIT_PER_MINUTE', 10, 0, 1_000_000),
      loginFailuresPerUsername: integer(env, 'LOGIN_FAILURE_LIMIT', 10, 0, 1_000_000),
      hashConcurrency: integer(env, 'PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
      hashQueue: integer(env, 'PASSWORD_HASH_QUEUE', 32, 0, 100_000),
    },
  };
}

function trustProxy(env: Env): boolean | number {
  const raw = read(env, 'TRUST_PROXY');
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d{1,2}$/.test(raw) && Number(raw) >= 1) return Number(raw);
  throw new ConfigError(`TRUST_PROXY="${raw}" is invalid: expected true, false or the number of proxies in front (1-99)`);
}

/**
 * Secrets this repository shows as examples (compose, README, tests): anyone can read them, so
 * a production deployment that kept one signs tokens anybody can forge.
 */
export const EXAMPLE_SECRETS: readonly string[] = [
  'test-secret-that-is-at-least-32-characters-long',
  'change-me-to-a-long-random-secret-of-32-chars-or-more',
  'bench-secret-bench-secret-bench-secret-0',
];

/** Why a production secret is unsafe, or null: a shipped example, or too little variety to be random. */
export function secretWeakness(secret: string): string | null {
  if (EXAMPLE_SECRETS.includes(secret)) return 'it is an example value published in this repository';
  if (/change.?me|example|placeholder|secret/i.test(secret)) return 'it looks like a placeholder; use 32+ random characters (openssl rand -base64 48)';
  const distinct = new Set(secret).size;
  if (distinct < 16) return `it has only ${distinct} distinct characters; use 32+ random characters (openssl rand -base64 48)`;
  return null;
}
