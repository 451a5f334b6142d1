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
  /** Requests per minute per client address; 0 turns the limiter off. */
  rateLimitPerMinute: number;
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
  if (secret === undefined && nodeEnv === 'production') throw new ConfigError('AUTH_SECRET is required when NODE_ENV=production');
  if (secret !== undefined && secret.length < 32) throw new ConfigError('AUTH_SECRET is too short: use at least 32 characters');

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
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 0, 0, 1_000_000),
  };
}
