import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import type { Store } from '../../adapters/shared/store.js';
import type { DataModule } from '../../adapters/shared/transfer.js';
import { DATA_MODULES as MODULES } from './config.js';
import { moduleTransfer, ModuleDigest, readModule, TransferError, type ModuleSummary, type Progress, type TransferRecords } from './transfer.js';

/**
 * The archive format (documented in README.md, "Back up and restore"): gzip-compressed JSON
 * lines. The first line is the header, then one line per record in module order and ascending
 * id order, then a trailer with each module's count and digest:
 *
 *   {"format":"agora-archive","version":1,"created_at":"…","modules":["users",…],"counts":{"users":3,…}}
 *   {"module":"users","record":{…}}
 *   …
 *   {"end":{"users":{"count":3,"digest":"…"},…}}
 *
 * Records are TransferRecords as JSON: dates as ISO 8601 strings with milliseconds.
 */
export const ARCHIVE_FORMAT = 'agora-archive';
export const ARCHIVE_VERSION = 1;

interface Header {
  format: string;
  version: number;
  created_at: string;
  modules: DataModule[];
  counts: Record<string, number>;
}

/** The store holding each module. */
export type StoreOf = (module: DataModule) => Store;

async function writeLine(out: NodeJS.WritableStream, value: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
}

/** Writes every record of `modules` to `file` (through a temporary file, renamed when complete). */
export async function exportArchive(storeOf: StoreOf, modules: readonly DataModule[], file: string, batch: number, progress?: Progress): Promise<ModuleSummary[]> {
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const done = new Promise<void>((resolve, reject) => {
    const sink = createWriteStream(partial);
    sink.on('error', reject).on('finish', resolve);
    gzip.on('error', reject).pipe(sink);
  });
  try {
    const counts = Object.fromEntries(await Promise.all(modules.map(async (m) => [m, await moduleTransfer(storeOf(m), m).count()] as const)));
    const header: Header = { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, created_at: new Date().toISOString(), modules: [...modules], counts };
    await writeLine(gzip, header);
    const summaries: ModuleSummary[] = [];
    for (const module of modules) {
      const digest = new ModuleDigest();
      progress?.start(module, counts[module] ?? 0);
      for await (const page of readModule(storeOf(module), module, batch)) {
        for (const record of page) {
          digest.add(record);
          await writeLine(gzip, { module, record });
        }
        progress?.advance(module, digest.count);
      }
      progress?.finish(module);
      summaries.push({ module, count: digest.count, digest: digest.value });
    }
    await writeLine(gzip, { end: Object.fromEntries(summaries.map((s) => [s.module, { count: s.count, digest: s.digest }])) });
    gzip.end();
    await done;
    await rename(partial, file);
    return summaries;
  } catch (err) {
    gzip.destroy();
    await done.catch(() => {});
    await rm(partial, { force: true });
    throw err;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- records straight from JSON.parse, checked field by field
const DATE_FIELDS: Record<DataModule, (r: Record<string, any>) => void> = {
  users: (r) => dates(r, 'joinedAt'),
  follows: (r) => dates(r, 'createdAt'),
  posts: (r) => dates(r.post, 'createdAt'),
  blogs: (r) => {
    dates(r.blog, 'createdAt', 'updatedAt');
    for (const a of r.articles ?? []) dates(a, 'createdAt', 'updatedAt');
  },
  listings: (r) => {
    dates(r.listing, 'createdDate', 'updatedDate');
    for (const p of r.prices ?? []) dates(p, 'createdDate');
  },
};

function dates(target: Record<string, unknown> | undefined, ...fields: string[]): void {
  if (!target || typeof target !== 'object') throw new TransferError('a record is missing a part it must have');
  for (const field of fields) {
    const value = target[field];
    const at = typeof value === 'string' ? new Date(value) : null;
    if (!at || Number.isNaN(at.getTime())) throw new TransferError(`a record's ${field} is not a date`);
    target[field] = at;
  }
}

/**
 * Reads an archive into the stores, each module into the store `storeOf` gives, which must hold
 * none of its records (unless `resume`). The counts and digests of what was written are
 * checked against the archive's trailer; a truncated or altered archive is refused.
 */
export async function importArchive(
  storeOf: StoreOf,
  file: string,
  options: { batch: number; resume: boolean; progress?: Progress },
): Promise<{ expected: ModuleSummary[]; read: ModuleSummary[] }> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let header: Header | null = null;
  let trailer: Record<string, { count: number; digest: string }> | null = null;
  const digests = new Map<DataModule, ModuleDigest>();
  let pending = null as { module: DataModule; records: unknown[] } | null;
  let lineNo = 0;
  const flush = async () => {
    if (!pending || pending.records.length === 0) return;
    await moduleTransfer(storeOf(pending.module), pending.module).write(pending.records as never);
    options.progress?.advance(pending.module, digests.get(pending.module)!.count);
    pending.records = [];
  };
  try {
    for await (const line of lines) {
      lineNo += 1;
      if (trailer) throw new TransferError(`line ${lineNo}: data after the archive's end`);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a line straight from JSON.parse, checked below
      let parsed: Record<string, any>;
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        throw new TransferError(`line ${lineNo} is not JSON`);
      }
      if (!header) {
        header = checkHeader(parsed, file);
        for (const module of header.modules) {
          const present = await moduleTransfer(storeOf(module), module).count();
          if (present > 0 && !options.resume) throw new TransferError(`the target already holds ${present} ${module} record(s): import into an empty store, or pass --resume`);
        }
        continue;
      }
      if ('end' in parsed) {
        await flush();
        if (pending) options.progress?.finish(pending.module);
        trailer = parsed.end as Record<string, { count: number; digest: string }>;
        continue;
      }
      const module = parsed.module as DataModule;
      if (!header.modules.includes(module) || typeof parsed.record !== 'object' || parsed.record === null) throw new TransferError(`line ${lineNo}: not a record of this archive's modules`);
      if (pending?.module !== module) {
        await flush();
        if (pending) options.progress?.finish(pending.module);
        if (digests.has(module)) throw new TransferError(`line ${lineNo}: ${module} records are not together`);
        digests.set(module, new ModuleDigest());
        options.progress?.start(module, header.counts[module] ?? 0);
        pending = { module, records: [] };
      }
      DATE_FIELDS[module](parsed.record);
      digests.get(module)!.add(parsed.record as TransferRecords[typeof module]);
      pending.records.push(parsed.record);
      if (pending.records.length >= options.batch) await flush();
    }
  } catch (err) {
    if (err instanceof TransferError) throw err;
    throw new TransferError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!header) throw new TransferError(`${file} is empty`);
  if (!trailer) throw new TransferError(`${file} ends before its last line: the archive is truncated`);
  // The counters are derived, not archived: each target rebuilds them from what it now holds.
  for (const module of header.modules) await moduleTransfer(storeOf(module), module).finish?.();
  const expected = header.modules.map((module) => ({ module, count: trailer![module]?.count ?? -1, digest: trailer![module]?.digest ?? '' }));
  const read = header.modules.map((module) => ({ module, count: digests.get(module)?.count ?? 0, digest: digests.get(module)?.value ?? new ModuleDigest().value }));
  return { expected, read };
}

function checkHeader(parsed: Record<string, unknown>, file: string): Header {
  if (parsed.format !== ARCHIVE_FORMAT) throw new TransferError(`${file} is not an Agora archive`);
  if (parsed.version !== ARCHIVE_VERSION) throw new TransferError(`${file} is archive format version ${String(parsed.version)}; this build reads version ${ARCHIVE_VERSION}`);
  const modules = parsed.modules as unknown;
  if (!Array.isArray(modules) || !modules.every((m) => (MODULES as readonly unknown[]).includes(m))) throw new TransferError(`${file}: its header names unknown modules`);
  return parsed as unknown as Header;
}
