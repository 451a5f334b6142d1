import { createHash } from 'node:crypto';
import type { Store } from '../../adapters/shared/store.js';
import { recordId, type DataModule, type ModuleTransfer, type TransferRecords } from '../../adapters/shared/transfer.js';
import { ConfigError } from './config.js';
import { descriptorOf, STORES } from './registry.js';

export type { TransferRecords } from '../../adapters/shared/transfer.js';

/** A transfer, export or import that cannot go on, worded as one line. */
export class TransferError extends Error {}

/** The transfer of `module` in `store`, or a one-line error saying the store cannot move it. */
export function moduleTransfer<M extends DataModule>(store: Store, module: M): ModuleTransfer<TransferRecords[M]> {
  const make = store.transfers?.[module];
  if (!make) throw new TransferError(`the ${store.name} store cannot move ${module}`);
  return make() as ModuleTransfer<TransferRecords[M]>;
}

/** Every record of `module` in `store`, a batch at a time, in ascending id order, from after `after`. */
export async function* readModule<M extends DataModule>(store: Store, module: M, batch: number, after: string | null = null): AsyncGenerator<TransferRecords[M][]> {
  const source = moduleTransfer(store, module);
  for (let from = after; ; ) {
    const page = await source.page(from, batch);
    if (page.length > 0) yield page;
    if (page.length < batch) return;
    from = recordId(module, page.at(-1)!);
  }
}

/** JSON with object keys sorted, so equal records give equal text whatever the store's field order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

const DIGEST_MODULUS = 1n << 128n;

/**
 * An order-independent digest of a module's records: the sum, modulo 2^128, of the first 128
 * bits of each record's SHA-256 over its canonical JSON. Equal sets of records give equal
 * digests in any order; a changed, missing or extra record changes it.
 */
export class ModuleDigest {
  count = 0;
  private sum = 0n;

  add(record: unknown): void {
    const hash = createHash('sha256').update(canonicalJson(record)).digest();
    this.sum = (this.sum + hash.readBigUInt64BE(0) * (1n << 64n) + hash.readBigUInt64BE(8)) % DIGEST_MODULUS;
    this.count += 1;
  }

  get value(): string {
    return this.sum.toString(16).padStart(32, '0');
  }
}

export interface ModuleSummary {
  module: DataModule;
  count: number;
  digest: string;
}

/** The count and digest of each of `modules` in `store`. */
export async function summarize(store: Store, modules: readonly DataModule[], batch = 1000): Promise<ModuleSummary[]> {
  const out: ModuleSummary[] = [];
  for (const module of modules) {
    const digest = new ModuleDigest();
    for await (const page of readModule(store, module, batch)) for (const record of page) digest.add(record);
    out.push({ module, count: digest.count, digest: digest.value });
  }
  return out;
}

export interface Progress {
  /** Called before a module's first batch with its record count, then after every batch. */
  start(module: DataModule, total: number): void;
  advance(module: DataModule, done: number): void;
  finish(module: DataModule): void;
}

export interface CopyOptions {
  modules: readonly DataModule[];
  batch: number;
  /** Continue an interrupted transfer: modules already complete on the target are skipped. */
  resume: boolean;
  progress?: Progress;
}

/**
 * Copies each module from `from` to `to` in module order through the stores' transfer paths.
 * It never writes `from`. A target that already holds records of a module is refused unless
 * `resume`: then a module whose count already equals the source's is skipped and an unfinished
 * one is written again from its first batch (writes skip records the target holds, so this
 * finishes it without duplicates).
 */
export async function copyModules(from: Store, to: Store, options: CopyOptions): Promise<void> {
  for (const module of options.modules) {
    const [total, present] = await Promise.all([moduleTransfer(from, module).count(), moduleTransfer(to, module).count()]);
    if (present > 0 && !options.resume) {
      throw new TransferError(`the target already holds ${present} ${module} record(s): move into an empty store, or pass --resume to finish an interrupted transfer`);
    }
    options.progress?.start(module, total);
    const target = moduleTransfer(to, module);
    if (options.resume && present === total) {
      await target.finish?.(); // an interrupted run may have stopped before it
      options.progress?.advance(module, total);
      options.progress?.finish(module);
      continue;
    }
    // The next page is read while the current one is written: the two stores work at once.
    const pages = readModule(from, module, options.batch);
    let done = 0;
    let next = pages.next();
    try {
      for (let page = await next; !page.done; page = await next) {
        next = pages.next();
        await target.write(page.value);
        done += page.value.length;
        options.progress?.advance(module, done);
      }
    } catch (err) {
      await next.catch(() => {}); // the read ahead, whatever became of it
      throw err;
    }
    // The counters are derived, not moved: the target rebuilds them from what it now holds.
    await target.finish?.();
    options.progress?.finish(module);
  }
}

/** Both sides' counts and digests, side by side; true when they all match. */
export function printComparison(source: ModuleSummary[], target: ModuleSummary[], log: (line: string) => void): boolean {
  let same = true;
  log(`${'module'.padEnd(9)} ${'source count'.padStart(12)}  ${'source digest'.padEnd(32)}  ${'target count'.padStart(12)}  ${'target digest'.padEnd(32)}`);
  source.forEach((s, i) => {
    const t = target[i]!;
    const match = s.count === t.count && s.digest === t.digest;
    same &&= match;
    log(`${s.module.padEnd(9)} ${String(s.count).padStart(12)}  ${s.digest}  ${String(t.count).padStart(12)}  ${t.digest}  ${match ? 'same' : 'DIFFERENT'}`);
  });
  return same;
}

/** The kind a command-line store name points at, and the variables that point it there. */
export function locateStore(spec: string): { kind: string; env: Record<string, string | undefined> } {
  for (const descriptor of STORES) {
    if (spec === descriptor.kind) return { kind: descriptor.kind, env: {} };
    const env = descriptor.locate(spec);
    if (env) return { kind: descriptor.kind, env };
  }
  const examples = 'sqlite:./agora.db, postgres://user:pass@host/db, mongodb://host/db, neo4j://host or bolt://host';
  throw new ConfigError(`"${spec}" names no store: expected a store kind (${STORES.map((d) => d.kind).join(', ')}) or a location such as ${examples}`);
}

/**
 * Opens the store `spec` names, its credentials and settings from `env` (as for `npm start`),
 * and checks it answers. `migrate` brings a target's schema up to date first.
 */
export async function openNamedStore(spec: string, env: Record<string, string | undefined>, options: { timeoutMs: number; migrate: boolean }): Promise<Store> {
  const { kind, env: located } = locateStore(spec);
  const descriptor = descriptorOf(kind);
  let settings: unknown;
  try {
    settings = descriptor.settings({ ...env, ...located });
  } catch (err) {
    throw new ConfigError(`${spec}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const store = await descriptor.open(settings, { timeoutMs: options.timeoutMs }).catch((err: unknown) => {
    throw new ConfigError(`${spec}: cannot open the ${kind} store: ${err instanceof Error ? err.message : String(err)}`);
  });
  try {
    await store.ping();
    if (options.migrate) await store.migrate();
    else if ((await store.pendingMigrations()).length > 0) throw new ConfigError(`${spec}: the ${kind} schema is behind; run "npm run migrate" on it first`);
  } catch (err) {
    await store.close().catch(() => {});
    throw err instanceof ConfigError ? err : new ConfigError(`${spec}: cannot reach the ${kind} store: ${err instanceof Error ? err.message : String(err)}`);
  }
  return store;
}
