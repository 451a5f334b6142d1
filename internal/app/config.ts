import { randomBytes } from 'node:crypto';
import { SettingsError, integerVariable, variable, type ModuleName, type StoreDescriptor } from '../../adapters/shared/store.js';
import { DEFAULT_POSTING_RULES, type PostingRules } from '../domain/posts/post.js';
import { DEFAULT_TIMELINE_RULES, type TimelineRules } from '../domain/timelines/timeline-rules.js';
import { STORES, type StoreKind } from './registry.js';
import { MODULE_NAMES as MODULES } from './modules/index.js';

export type { ModuleName } from '../../adapters/shared/store.js';
export { DATA_MODULES, MODULE_NAMES as MODULES } from './modules/index.js';
export type { DataModule } from '../../adapters/shared/transfer.js';
export type { StoreKind } from './registry.js';

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  storage: Record<ModuleName, StoreKind>;
  /** The settings of each store some module uses, as its descriptor parsed them. */
  stores: Partial<Record<StoreKind, unknown>>;
  /** Apply pending migrations at start (an in-memory SQLite is always migrated: it starts empty). */
  autoMigrate: boolean;
  /** Signs bearer tokens (HS256 JWTs) and verifies them. */
  authSecret: string;
  authSecretGenerated: boolean;
  /** The secret before a rotation: tokens it signed still verify until they expire; it signs none. */
  authSecretPrevious: string | undefined;
  /** The tokens' `iss` claim, written and required. */
  authIssuer: string;
  /** The tokens' `aud` claim, written and required. */
  authAudience: string;
  tokenTtlSeconds: number;
  passwordHashCost: number;
  posting: PostingRules;
  /** Home timelines; `pollMs`: how often the worker looks for jobs it was not woken for. */
  timelines: TimelineRules & { pollMs: number };
  /** The longest one store call may take before the request answers 503. */
  storeTimeoutMs: number;
  /** Trust X-Forwarded-For: false, true (every hop), or the number of proxies in front. */
  trustProxy: boolean | number;
  /** Answer every API write with 503 READ_ONLY (a move to another store, a backup) and keep serving reads. */
  readOnly: boolean;
  /** Browser origins allowed to call the API (CORS_ORIGINS), exact `scheme://host[:port]`; empty turns CORS off. */
  corsOrigins: string[];
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

const read = variable;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  try {
    return integerVariable(env, name, fallback, min, max);
  } catch (err) {
    throw err instanceof SettingsError ? new ConfigError(err.message) : err;
  }
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name}="${raw}" is invalid: expected one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

/** Which store holds each module: STORAGE (by default the registry's first), then STORAGE_<MODULE>; a store must provide its module. */
function storage(env: Env, registry: readonly StoreDescriptor[]): Record<ModuleName, StoreKind> {
  const kinds = registry.map((d) => d.kind as StoreKind);
  const fallback = oneOf(env, 'STORAGE', kinds, kinds[0]!);
  const entries = MODULES.map((module) => {
    const name = `STORAGE_${module.toUpperCase()}`;
    const kind = oneOf(env, name, kinds, fallback);
    if (!registry.find((d) => d.kind === kind)!.modules.includes(module)) {
      const providers = registry.filter((d) => d.modules.includes(module)).map((d) => d.kind);
      const variable = read(env, name) === undefined ? 'STORAGE' : name;
      throw new ConfigError(`${variable}="${kind}" is invalid: the ${kind} store does not provide ${module} (stores that do: ${providers.join(', ')})`);
    }
    return [module, kind] as const;
  });
  return Object.fromEntries(entries) as Record<ModuleName, StoreKind>;
}

/** Each used store's settings, parsed by its descriptor; a problem is one line naming the variable. */
function storeSettings(env: Env, registry: readonly StoreDescriptor[], used: ReadonlySet<string>): Partial<Record<StoreKind, unknown>> {
  const settings: Partial<Record<string, unknown>> = {};
  for (const descriptor of registry.filter((d) => used.has(d.kind))) {
    try {
      settings[descriptor.kind] = descriptor.settings(env);
    } catch (err) {
      if (err instanceof SettingsError) throw new ConfigError(err.message);
      throw err;
    }
  }
  return settings;
}

/** The configuration from `env`; `registry` is the stores to choose from (tests pass their own). */
export function loadConfig(env: Env = process.env, registry: readonly StoreDescriptor[] = STORES): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const perModule = storage(env, registry);
  const stores = storeSettings(env, registry, new Set(Object.values(perModule)));

  const secret = read(env, 'AUTH_SECRET');
  const previousSecret = read(env, 'AUTH_SECRET_PREVIOUS');
  const secrets = [['AUTH_SECRET', secret], ['AUTH_SECRET_PREVIOUS', previousSecret]] as const;
  for (const [name, value] of secrets) {
    if (value !== undefined && value.length < 32) throw new ConfigError(`${name} is too short: use at least 32 characters`);
  }
  if (nodeEnv === 'production') {
    if (read(env, 'STORAGE') === undefined) {
      throw new ConfigError('STORAGE is required when NODE_ENV=production (an in-memory SQLite loses every write on restart)');
    }
    if (secret === undefined) throw new ConfigError('AUTH_SECRET is required when NODE_ENV=production');
    for (const [name, value] of secrets) {
      const weakness = value === undefined ? null : secretWeakness(value);
      if (weakness) throw new ConfigError(`${name} is refused when NODE_ENV=production: ${weakness}`);
    }
  }

  const autoMigrate = oneOf(env, 'AUTO_MIGRATE', ['true', 'false'], 'false') === 'true';

  return {
    env: nodeEnv,
    host: read(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    storage: perModule,
    stores,
    autoMigrate,
    authSecret: secret ?? randomBytes(32).toString('base64url'),
    authSecretGenerated: secret === undefined,
    authSecretPrevious: previousSecret,
    authIssuer: read(env, 'AUTH_ISSUER') ?? 'agora',
    authAudience: read(env, 'AUTH_AUDIENCE') ?? 'agora-api',
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 86_400, 60, 31_536_000),
    passwordHashCost: 2 ** integer(env, 'PASSWORD_HASH_LOG2_COST', 15, 10, 20),
    posting: {
      maxLength: integer(env, 'POST_MAX_LENGTH', DEFAULT_POSTING_RULES.maxLength, 1, 100_000),
      dailyLimit: integer(env, 'DAILY_POST_LIMIT', DEFAULT_POSTING_RULES.dailyLimit, 1, 10_000),
    },
    timelines: {
      cap: integer(env, 'TIMELINE_CAP', DEFAULT_TIMELINE_RULES.cap, 10, 100_000),
      celebrityThreshold: integer(env, 'TIMELINE_CELEBRITY_THRESHOLD', DEFAULT_TIMELINE_RULES.celebrityThreshold, 0, 1_000_000_000),
      pollMs: integer(env, 'TIMELINE_POLL_MS', 1_000, 10, 600_000),
    },
    storeTimeoutMs: integer(env, 'STORE_TIMEOUT_MS', 5_000, 100, 600_000),
    trustProxy: trustProxy(env),
    readOnly: oneOf(env, 'READ_ONLY', ['true', 'false'], 'false') === 'true',
    corsOrigins: corsOrigins(env),
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

/** CORS_ORIGINS: a comma-separated list of exact origins, each as a browser sends it (`https://app.example.com`). */
function corsOrigins(env: Env): string[] {
  const raw = read(env, 'CORS_ORIGINS');
  if (raw === undefined) return [];
  const origins = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const origin of origins) {
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
    const web = parsed?.protocol === 'https:' || parsed?.protocol === 'http:';
    if (web && parsed!.origin === origin) continue;
    const hint = web ? ` (did you mean ${parsed!.origin}?)` : '';
    throw new ConfigError(`CORS_ORIGINS="${raw}" is invalid: "${origin}" is not an origin: expected http(s)://host[:port], no path${hint}`);
  }
  return [...new Set(origins)];
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
