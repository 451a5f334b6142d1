import type { BlogRepository } from '../../internal/domain/blogs/blog-repository.js';
import type { Follow, FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import type { ListingRepository } from '../../internal/domain/listings/listing-repository.js';
import type { IdempotencyRepository } from '../../internal/domain/shared/idempotency.js';
import type { FollowingFeed } from '../../internal/domain/posts/following-feed.js';
import type { Post } from '../../internal/domain/posts/post.js';
import type { PostRepository } from '../../internal/domain/posts/post-repository.js';
import type { User } from '../../internal/domain/users/user.js';
import type { TimelinePages, TimelineStore } from '../../internal/domain/timelines/timeline-store.js';
import type { StoreTransfers } from './transfer.js';
import type { UserRepository } from '../../internal/domain/users/user-repository.js';

/**
 * The port of each module, by the module's name (`STORAGE_<MODULE>` puts one in a store of its
 * own). A new module adds its line here; `APP_MODULES` in internal/app/modules/ must list it.
 */
export interface ModulePorts {
  users: UserRepository;
  follows: FollowRepository;
  posts: PostRepository;
  timelines: TimelineStore;
  blogs: BlogRepository;
  listings: ListingRepository;
}

export type ModuleName = keyof ModulePorts;

/** How a store gives each module's port: a fresh repository over its connection. */
export type PortFactories = { readonly [M in ModuleName]: () => ModulePorts[M] };

/** Batched writes of synthetic data (cmd/seed.ts), each store by its native bulk path. */
export interface BulkSeeder {
  users(users: readonly User[]): Promise<void>;
  follows(follows: readonly Follow[]): Promise<void>;
  posts(posts: ReadonlyArray<{ post: Post; slotKey: string; repostKey: string }>): Promise<void>;
  /**
   * After a table's last batch, where the store has work of that table's own to do before it
   * serves it at full speed (SQLite: build the indexes its load went without); `finish` does it
   * for whatever this did not. No row of the table may follow.
   */
  complete?(table: 'users' | 'follows' | 'posts'): Promise<void>;
  /**
   * After the last batch: whatever the store needs to serve the new data at full speed, and the
   * counters (followers, following and posts per user; reposts and quotes per post), which the
   * batches do not keep, made exact.
   */
  finish?(): Promise<void>;
}

/** Detected from the server; tests skip only what needs a missing flag, and say why. */
export interface StoreCapabilities {
  server: string;
  version: string;
  flags: Readonly<Record<string, boolean>>;
}

/**
 * What the composition root needs of an open store, whatever its technology: its lifecycle,
 * and the repositories of the modules its descriptor says it provides (only those).
 */
export interface Store {
  readonly name: string;
  /** The port of each module its descriptor provides (only those). */
  readonly ports: Partial<PortFactories>;
  ping(): Promise<void>;
  migrate(): Promise<string[]>;
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
  /** A store that can join follows to posts itself; the others get `FolloweeListFeed`. */
  followingFeed?(): FollowingFeed;
  /** A store that reads a following page from a timeline and the posts in one call (used when it holds both modules). */
  timelinePages?(): TimelinePages;
  /**
   * The timelines port for when this store also holds the posts and follows their jobs describe
   * (and is given those writes): a store whose later durable commit makes its earlier commits
   * durable too (SQLite's write-ahead log) commits the timelines' writes without waiting for the
   * disk. Undefined where no such saving exists; the plain `ports.timelines` is used then.
   */
  timelinesBesideTheirWrites?(): ModulePorts['timelines'] | undefined;
  /** Every record of each module it provides, read and written whole (npm run transfer, export, import). */
  readonly transfers?: StoreTransfers;
  /** The store's native bulk path (cmd/seed.ts), where it has one. */
  bulkSeeder?(): BulkSeeder;
  /** Idempotency-Key records; the app uses those of the store holding `users`. */
  idempotency?(): IdempotencyRepository;
  /** What the server can and cannot do (a store without such differences leaves this out). */
  capabilities?(): Promise<StoreCapabilities>;
}

/** The environment, as descriptors read it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A bad or missing setting, worded as one line naming the variable. */
export class SettingsError extends Error {}

/** Options every store gets from the app's own configuration. */
export interface OpenOptions {
  /** The longest one store call may take (STORE_TIMEOUT_MS). */
  timeoutMs: number;
}

/** A database server started for a test run (a testcontainers container). */
export interface StartedServer {
  /** The variables that point the store at it (the location variable and any credentials). */
  env: Record<string, string>;
  /** Where it came from, e.g. "testcontainers postgres:16-alpine". */
  source: string;
  stop(): Promise<unknown>;
}

/** A database of its own on a server, for one test suite or one benchmark size. */
export interface IsolatedDatabase {
  /** Variables that point the store at it, over the server's. */
  env: Record<string, string>;
  /** Makes it exist (idempotent). */
  create(): Promise<void>;
  /** Removes it and everything in it. */
  drop(): Promise<void>;
  /**
   * The server has a single database (Neo4j Community): "its own" is the whole server, kept
   * apart only by emptying it with `testing.reset` (tests do that once per run).
   */
  shared?: boolean;
}

/** How tests and the benchmark get a server and databases of this store. */
export interface StoreTesting {
  /**
   * The server a run needs; left out for a store that runs in process. `script` starts a real
   * one where Docker is absent; `container` starts one through testcontainers where it answers.
   */
  server?: {
    script: string;
    container?(): Promise<StartedServer>;
  };
  /**
   * A database named `name` on the server `server` points at (no I/O until `create`). `dir`
   * asks an in-process store for a file there (the benchmark) rather than memory (tests).
   */
  database(server: Env, name: string, options?: { dir?: string }): IsolatedDatabase;
  /** Empties the server at the start of a test run (a single-database server). */
  reset?(server: Env): Promise<void>;
}

/**
 * One store, as a value: config, container, tests and the benchmark read these and never
 * branch on a store's name. `S` is its parsed settings.
 */
export interface StoreDescriptor<S = unknown, K extends string = string> {
  /** The value of STORAGE / STORAGE_<MODULE> that picks it. */
  readonly kind: K;
  /** Every environment variable it reads. */
  readonly variables: readonly string[];
  /** The variable that says where it is: named in every error about reaching it. */
  readonly location: string;
  /**
   * A store named on a command line (`npm run transfer -- --from sqlite:./agora.db`): the
   * variables that point this store there when `spec` names one of its kind, else undefined.
   */
  locate(spec: string): Env | undefined;
  /** The modules it can hold. */
  readonly modules: readonly ModuleName[];
  /** Parses and checks its variables; throws a one-line SettingsError. */
  settings(env: Env): S;
  /** Opens it (connecting lazily is fine); its driver is imported only now. */
  open(settings: S, options: OpenOptions): Promise<Store>;
  /** Whether it must be migrated at every start, whatever AUTO_MIGRATE says (in-memory SQLite). */
  migrateAtStart?(settings: S): boolean;
  readonly testing: StoreTesting;
}

/** Declares a descriptor (keeps its kind a literal type). */
export function defineStore<S, const K extends string>(descriptor: StoreDescriptor<S, K>): StoreDescriptor<S, K> {
  return descriptor;
}

/** A variable's value, trimmed; empty counts as unset. */
export function variable(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

/** An integer variable within [min, max], or `fallback` when unset. */
export function integerVariable(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = variable(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < min || value > max) {
    throw new SettingsError(`${name}="${raw}" is invalid: expected an integer from ${min} to ${max}`);
  }
  return value;
}

/** A URL variable with one of `protocols` (e.g. "postgres:"), or undefined when unset. */
export function urlVariable(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = variable(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new SettingsError(`${name} is not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new SettingsError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

/** A required URL variable: its absence names the store that needs it. */
export function requiredUrl(env: Env, name: string, protocols: readonly string[], kind: string): string {
  const url = urlVariable(env, name, protocols);
  if (url === undefined) throw new SettingsError(`${name} is required when a module is stored in ${kind}`);
  return url;
}

/** `locate` for a store named by a URL with one of `protocols`: that URL is its `variable`. */
export function urlLocator(variable: string, protocols: readonly string[]): (spec: string) => Env | undefined {
  return (spec) => (protocols.some((p) => spec.startsWith(`${p}//`)) ? { [variable]: spec } : undefined);
}

/** `url` with its path naming database `name`. */
export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
